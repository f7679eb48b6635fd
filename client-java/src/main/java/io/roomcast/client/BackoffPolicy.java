package io.roomcast.client;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter above a floor, for reconnects and subscription retries. Retry {@code n}
 * (0-based) waits a uniformly random time in {@code [initialDelay, min(maxDelay, initialDelay * 2^(n+1))]}: with the
 * defaults the first retry comes after 0.5-1 s, the second after 0.5-2 s, ... never more than 30 s. The floor keeps a
 * client away from a tight loop even on the first retry; the jitter spreads a crowd of clients that lost the same edge.
 * The attempt count starts again at 0 once a connection stayed open for {@link #stableAfter()}. Immutable.
 *
 * @param initialDelay the floor and the first ceiling's half
 * @param maxDelay     the cap
 * @param stableAfter  how long a connection must stay open to count as stable
 */
public record BackoffPolicy(Duration initialDelay, Duration maxDelay, Duration stableAfter) {

    private static final BackoffPolicy DEFAULTS =
            new BackoffPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(10));

    public BackoffPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(stableAfter, "stableAfter");
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("initialDelay must be positive: " + initialDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("maxDelay must be >= initialDelay: " + maxDelay);
        }
        if (stableAfter.isNegative()) {
            throw new IllegalArgumentException("stableAfter must not be negative: " + stableAfter);
        }
    }

    /** 0.5 s floor, 30 s cap, stable after 10 s. */
    public static BackoffPolicy ofDefaults() {
        return DEFAULTS;
    }

    /** The ceiling of retry {@code attempt} (0-based) before jitter. */
    public Duration ceiling(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be >= 0: " + attempt);
        }
        long floorMs = initialDelay.toMillis();
        int shift = Math.min(attempt + 1, 40);
        long ceilingMs = floorMs > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : floorMs << shift;
        return Duration.ofMillis(Math.min(ceilingMs, maxDelay.toMillis()));
    }

    /** The jittered delay before retry {@code attempt} (0-based). */
    public Duration delay(int attempt, RandomGenerator random) {
        long floorMs = initialDelay.toMillis();
        long ceilingMs = ceiling(attempt).toMillis();
        long spread = ceilingMs - floorMs;
        return Duration.ofMillis(floorMs + (spread == 0 ? 0 : random.nextLong(spread + 1)));
    }
}
