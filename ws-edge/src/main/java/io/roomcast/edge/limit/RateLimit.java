package io.roomcast.edge.limit;

import java.util.function.LongSupplier;

/**
 * At most {@code perSecond} permits in each one-second window (fixed windows, as Resilience4j's
 * {@code RateLimiter} with a one-second refresh period and no waiting). The edge keeps several
 * per connection, so it is two numbers and a lock: a Resilience4j limiter with its config, state
 * and event processor cost about 400 bytes of heap each, which at 10,000 idle connections was a
 * fifth of the edge's heap per connection.
 *
 * <p>Thread-safety: safe for concurrent use; {@link #tryAcquire()} never blocks beyond a short
 * uncontended lock, so IO threads may call it.
 */
public final class RateLimit {
    private static final long WINDOW_NANOS = 1_000_000_000L;

    private final int perSecond;
    private final LongSupplier nanoClock;
    private long windowStart;
    private int used;

    /** A limit on the system's monotonic clock. */
    public RateLimit(int perSecond) {
        this(perSecond, System::nanoTime);
    }

    /** A limit on {@code nanoClock} (monotonic nanoseconds), for tests. */
    public RateLimit(int perSecond, LongSupplier nanoClock) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("a rate limit needs at least 1 permit per second, got " + perSecond);
        }
        this.perSecond = perSecond;
        this.nanoClock = nanoClock;
        this.windowStart = nanoClock.getAsLong();
    }

    /** Takes a permit if the current window has one left; false (and nothing taken) otherwise. Any thread. */
    public synchronized boolean tryAcquire() {
        long now = nanoClock.getAsLong();
        if (now - windowStart >= WINDOW_NANOS) {
            // Windows stay aligned to the first one, so a burst at a window's end and the next one's
            // start is at most twice the rate: the same bound Resilience4j gives.
            windowStart = now - (now - windowStart) % WINDOW_NANOS;
            used = 0;
        }
        if (used >= perSecond) {
            return false;
        }
        used++;
        return true;
    }

    public int perSecond() {
        return perSecond;
    }
}
