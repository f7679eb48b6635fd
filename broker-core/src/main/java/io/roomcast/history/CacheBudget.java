package io.roomcast.history;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes all room history caches of one edge may hold together. Caches report what they grow
 * and shrink by; when the total is above the limit the owner evicts (idle rooms first, then the
 * oldest events of active rooms). Eviction only raises a cache's {@code coversFrom}: what is
 * evicted is read from Kafka instead, so the bound costs speed, never correctness.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class CacheBudget {
    private final long limit;
    private final AtomicLong used = new AtomicLong();

    public CacheBudget(long limit) {
        this.limit = limit;
    }

    public void add(long delta) {
        used.addAndGet(delta);
    }

    public boolean over() {
        return used.get() > limit;
    }

    public long used() {
        return used.get();
    }

    public long limit() {
        return limit;
    }
}
