package io.roomcast.producer.backend;

import java.time.Duration;
import java.util.Objects;

/**
 * How a backend is guarded. {@code firstTokenTimeout} bounds one attempt from the request to
 * its first chunk; {@code nextTokenTimeout} bounds every later wait between chunks;
 * {@code retryAttempts} (including the first) are made with exponential backoff from
 * {@code retryBackoff} up to {@code retryMaxBackoff}, before the first token only; the circuit
 * breaker opens when {@code breakerFailureRate} percent of the last {@code breakerWindow}
 * attempts (at least {@code breakerMinimumCalls}) failed and stays open for {@code breakerOpenFor};
 * at most {@code maxConcurrentGenerations} generations run at once per process, and a prompt
 * waits at most {@code bulkheadMaxWait} for a slot.
 */
public record ResilienceSettings(
        Duration firstTokenTimeout,
        Duration nextTokenTimeout,
        int retryAttempts,
        Duration retryBackoff,
        Duration retryMaxBackoff,
        float breakerFailureRate,
        int breakerWindow,
        int breakerMinimumCalls,
        Duration breakerOpenFor,
        int maxConcurrentGenerations,
        Duration bulkheadMaxWait) {

    public ResilienceSettings {
        positive(firstTokenTimeout, "firstTokenTimeout");
        positive(nextTokenTimeout, "nextTokenTimeout");
        positive(retryBackoff, "retryBackoff");
        positive(retryMaxBackoff, "retryMaxBackoff");
        positive(breakerOpenFor, "breakerOpenFor");
        Objects.requireNonNull(bulkheadMaxWait, "bulkheadMaxWait");
        if (retryAttempts < 1) {
            throw new IllegalArgumentException("retryAttempts must be at least 1");
        }
        if (!(breakerFailureRate > 0 && breakerFailureRate <= 100)) {
            throw new IllegalArgumentException("breakerFailureRate must be in (0, 100]");
        }
        if (breakerWindow < 1 || breakerMinimumCalls < 1) {
            throw new IllegalArgumentException("breaker window and minimum calls must be positive");
        }
        if (maxConcurrentGenerations < 1) {
            throw new IllegalArgumentException("maxConcurrentGenerations (--max-concurrent) must be at least 1, was " + maxConcurrentGenerations);
        }
        if (bulkheadMaxWait.isNegative()) {
            throw new IllegalArgumentException("bulkheadMaxWait must not be negative");
        }
    }

    public static ResilienceSettings defaults() {
        return new ResilienceSettings(Duration.ofSeconds(30), Duration.ofSeconds(20), 3, Duration.ofMillis(500),
                Duration.ofSeconds(8), 50, 20, 5, Duration.ofSeconds(30), 8, Duration.ofSeconds(60));
    }

    public ResilienceSettings withTimeouts(Duration firstToken, Duration nextToken) {
        return new ResilienceSettings(firstToken, nextToken, retryAttempts, retryBackoff, retryMaxBackoff, breakerFailureRate,
                breakerWindow, breakerMinimumCalls, breakerOpenFor, maxConcurrentGenerations, bulkheadMaxWait);
    }

    public ResilienceSettings withRetry(int attempts, Duration backoff, Duration maxBackoff) {
        return new ResilienceSettings(firstTokenTimeout, nextTokenTimeout, attempts, backoff, maxBackoff, breakerFailureRate,
                breakerWindow, breakerMinimumCalls, breakerOpenFor, maxConcurrentGenerations, bulkheadMaxWait);
    }

    public ResilienceSettings withBreaker(float failureRate, int window, int minimumCalls, Duration openFor) {
        return new ResilienceSettings(firstTokenTimeout, nextTokenTimeout, retryAttempts, retryBackoff, retryMaxBackoff, failureRate,
                window, minimumCalls, openFor, maxConcurrentGenerations, bulkheadMaxWait);
    }

    public ResilienceSettings withBulkhead(int maxConcurrent, Duration maxWait) {
        return new ResilienceSettings(firstTokenTimeout, nextTokenTimeout, retryAttempts, retryBackoff, retryMaxBackoff, breakerFailureRate,
                breakerWindow, breakerMinimumCalls, breakerOpenFor, maxConcurrent, maxWait);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
