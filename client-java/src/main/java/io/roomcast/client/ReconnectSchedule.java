package io.roomcast.client;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * Counts consecutive failed connection attempts and turns them into delays through a {@link BackoffPolicy}; the count
 * starts again once a connection stayed open for {@link BackoffPolicy#stableAfter()}. Not thread-safe: owned by the
 * client's loop.
 */
final class ReconnectSchedule {

    private final BackoffPolicy policy;
    private final RandomGenerator random;
    private int attempt;
    private Instant openedAt;

    ReconnectSchedule(BackoffPolicy policy, RandomGenerator random) {
        this.policy = policy;
        this.random = random;
    }

    /** A connection opened at {@code now}. */
    void opened(Instant now) {
        openedAt = now;
    }

    /** The connection (or the attempt) failed at {@code now}: how long to wait before the next attempt. */
    Duration nextDelay(Instant now) {
        if (openedAt != null && !Duration.between(openedAt, now).minus(policy.stableAfter()).isNegative()) {
            attempt = 0;
        }
        openedAt = null;
        Duration delay = policy.delay(attempt, random);
        attempt = Math.min(attempt + 1, 1_000);
        return delay;
    }

    int attempt() {
        return attempt;
    }
}
