package io.roomcast.producer.backend;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;

/**
 * A {@link ModelBackend} behind Resilience4j: each attempt to get a first token is bounded by a
 * time limiter and passes a circuit breaker (one per backend); failed attempts are retried
 * with backoff, but only before the first token (after it the answer is already visible in the
 * room, so a retry would duplicate it); every later chunk is bounded by a second time limiter.
 * Nothing here waits without a bound: every future returned completes.
 *
 * <p>Thread-safe; all waiting is asynchronous on {@code scheduler}.
 */
public final class GuardedBackend {
    /**
     * The longest {@code Retry-After} waited for. A backend asking for more is not retried: the
     * prompt's author gets {@code rate_limited} at once instead of an answer minutes later, and
     * the waiting prompt does not hold a generation slot that long.
     */
    public static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private final ModelBackend backend;
    private final ScheduledExecutorService scheduler;
    private final CircuitBreaker breaker;
    private final Retry retry;
    private final TimeLimiter firstToken;
    private final TimeLimiter nextToken;

    public GuardedBackend(ModelBackend backend, ResilienceSettings settings, ScheduledExecutorService scheduler) {
        this.backend = backend;
        this.scheduler = scheduler;
        this.breaker = CircuitBreaker.of("backend-" + backend.name(), CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.breakerFailureRate())
                .slidingWindowSize(settings.breakerWindow())
                .minimumNumberOfCalls(settings.breakerMinimumCalls())
                .waitDurationInOpenState(settings.breakerOpenFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordException(GuardedBackend::isBackendFault)
                .ignoreException(e -> unwrap(e) instanceof CancellationException)
                .build());
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(settings.retryBackoff(), 2.0, 0.3, settings.retryMaxBackoff());
        this.retry = Retry.of("backend-" + backend.name(), RetryConfig.custom()
                .maxAttempts(settings.retryAttempts())
                .retryOnException(GuardedBackend::isRetryable)
                .intervalBiFunction((attempt, outcome) -> {
                    long wait = backoff.apply(attempt);
                    // the backend said when it takes requests again: an earlier retry would be refused too
                    if (outcome.isLeft() && unwrap(outcome.getLeft()) instanceof BackendException failure && failure.retryAfter().isPresent()) {
                        wait = Math.max(wait, failure.retryAfter().get().toMillis());
                    }
                    return wait;
                })
                .build());
        this.firstToken = TimeLimiter.of("first-token-" + backend.name(), TimeLimiterConfig.custom()
                .timeoutDuration(settings.firstTokenTimeout()).cancelRunningFuture(true).build());
        this.nextToken = TimeLimiter.of("next-token-" + backend.name(), TimeLimiterConfig.custom()
                .timeoutDuration(settings.nextTokenTimeout()).cancelRunningFuture(true).build());
    }

    public String name() {
        return backend.name();
    }

    public String defaultModel() {
        return backend.defaultModel();
    }

    public CircuitBreaker circuitBreaker() {
        return breaker;
    }

    /**
     * Opens a stream and waits for its first chunk, retrying transient failures. Each attempt's
     * stream is attached to {@code handle}, so closing the handle aborts the current attempt and
     * prevents further ones (the future then fails with {@link CancellationException}).
     */
    public CompletableFuture<OpenedStream> open(GenerationRequest request, StreamHandle handle) {
        return retry.executeCompletionStage(scheduler,
                breaker.decorateCompletionStage(() -> attempt(request, handle))).toCompletableFuture();
    }

    /** The stream's next chunk, failing with {@link TimeoutException} (and closing it) if none comes in time. */
    public CompletableFuture<StreamChunk> next(TokenStream stream) {
        CompletableFuture<StreamChunk> timed = nextToken.executeCompletionStage(scheduler, stream::next).toCompletableFuture();
        timed.whenComplete((chunk, failure) -> {
            if (failure != null) {
                stream.close();
            }
        });
        return timed;
    }

    private CompletableFuture<OpenedStream> attempt(GenerationRequest request, StreamHandle handle) {
        if (handle.isClosed()) {
            return CompletableFuture.failedFuture(new CancellationException("generation aborted"));
        }
        TokenStream stream = backend.open(request);
        if (!handle.attach(stream)) {
            return CompletableFuture.failedFuture(new CancellationException("generation aborted"));
        }
        CompletableFuture<OpenedStream> timed = firstToken.executeCompletionStage(scheduler,
                () -> stream.next().thenApply(first -> new OpenedStream(stream, first))).toCompletableFuture();
        timed.whenComplete((opened, failure) -> {
            if (failure != null) {
                stream.close();
            }
        });
        return timed;
    }

    /** Failures that say the backend is unhealthy (not the request's fault, not our own abort). */
    static boolean isBackendFault(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof BackendException backendFailure) {
            return !BackendException.BAD_REQUEST.equals(backendFailure.code());
        }
        return cause instanceof TimeoutException;
    }

    static boolean isRetryable(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof BackendException backendFailure) {
            return backendFailure.retryable()
                    && backendFailure.retryAfter().map(wait -> wait.compareTo(MAX_RETRY_AFTER) <= 0).orElse(true);
        }
        return cause instanceof TimeoutException;
    }

    /** The failure inside the wrappers futures put around it. */
    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
