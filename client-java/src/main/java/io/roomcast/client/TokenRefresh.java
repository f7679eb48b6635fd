package io.roomcast.client;

import java.time.Duration;
import java.time.Instant;

/**
 * When to send a fresh token on an open connection: once 80 % of the current token's remaining lifetime has passed
 * (as the edge's auth documentation advises), never sooner than a second from now so a token that is about to expire
 * cannot make the client spin, and at once when it has already expired.
 */
final class TokenRefresh {

    private static final Duration MIN = Duration.ofSeconds(1);

    private TokenRefresh() {
    }

    static Duration delay(Instant now, long expiresAtMillis) {
        long remaining = expiresAtMillis - now.toEpochMilli();
        if (remaining <= 0) {
            return Duration.ZERO;
        }
        Duration eightyPercent = Duration.ofMillis(remaining * 8 / 10);
        Duration ceiling = Duration.ofMillis(remaining);
        Duration d = eightyPercent.compareTo(MIN) < 0 ? MIN : eightyPercent;
        return d.compareTo(ceiling) > 0 ? ceiling : d;
    }
}
