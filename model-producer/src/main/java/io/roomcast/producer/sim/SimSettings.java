package io.roomcast.producer.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * The simulated model: answers of {@code minWords..maxWords} words, one word every
 * {@code minDelay..maxDelay}, all drawn from a random generator seeded by {@code seed} and the
 * conversation, so the same seed and prompt always give the same answer at the same pace.
 */
public record SimSettings(String model, long seed, Duration minDelay, Duration maxDelay, int minWords, int maxWords) {
    public SimSettings {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(minDelay, "minDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (minDelay.isNegative() || maxDelay.compareTo(minDelay) < 0) {
            throw new IllegalArgumentException("sim delays must satisfy 0 <= min <= max");
        }
        if (minWords < 1 || maxWords < minWords) {
            throw new IllegalArgumentException("sim words must satisfy 1 <= min <= max");
        }
    }

    public static SimSettings defaults() {
        return new SimSettings("sim", 42, Duration.ofMillis(10), Duration.ofMillis(50), 20, 80);
    }

    public SimSettings withDelay(Duration min, Duration max) {
        return new SimSettings(model, seed, min, max, minWords, maxWords);
    }

    public SimSettings withWords(int min, int max) {
        return new SimSettings(model, seed, minDelay, maxDelay, min, max);
    }

    public SimSettings withSeed(long newSeed) {
        return new SimSettings(model, newSeed, minDelay, maxDelay, minWords, maxWords);
    }
}
