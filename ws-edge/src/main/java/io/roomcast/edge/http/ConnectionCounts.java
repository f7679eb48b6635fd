package io.roomcast.edge.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Open connections in total and per client address; entries vanish when an address has none. Thread-safe. */
public final class ConnectionCounts {
    private final AtomicInteger total = new AtomicInteger();
    private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    /** Counts an accepted connection of {@code address}; the returned action uncounts it. */
    public Runnable opened(String address) {
        total.incrementAndGet();
        perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        return () -> {
            total.decrementAndGet();
            perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
        };
    }

    public int total() {
        return total.get();
    }

    public int of(String address) {
        AtomicInteger n = perAddress.get(address);
        return n == null ? 0 : n.get();
    }
}
