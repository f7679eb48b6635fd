package io.roomcast.producer;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.roomcast.producer.backend.BackendException;
import io.roomcast.producer.backend.GuardedBackend;

import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * Why a generation ended with {@code generation.error}: a {@code code} from the catalogue below
 * and a human-readable {@code message}. The codes:
 *
 * <table>
 * <caption>generation.error codes</caption>
 * <tr><td>{@code bad_request}</td><td>the prompt is malformed, or the backend refused the request as invalid</td></tr>
 * <tr><td>{@code too_large}</td><td>the prompt is longer than the limit</td></tr>
 * <tr><td>{@code model_not_allowed}</td><td>the prompt asked for a model this producer does not serve</td></tr>
 * <tr><td>{@code timeout}</td><td>no first token, or no next token, within the time limit</td></tr>
 * <tr><td>{@code rate_limited}</td><td>the backend kept answering 429 through all retries</td></tr>
 * <tr><td>{@code unauthorized}</td><td>the backend refused our credentials</td></tr>
 * <tr><td>{@code backend_error}</td><td>the backend failed (5xx, broken or malformed stream) through all retries</td></tr>
 * <tr><td>{@code backend_unavailable}</td><td>the circuit breaker is open: the backend failed repeatedly just before</td></tr>
 * <tr><td>{@code overloaded}</td><td>every generation slot of the producer stayed busy for too long</td></tr>
 * <tr><td>{@code unavailable}</td><td>Kafka did not accept the answer's events in time</td></tr>
 * <tr><td>{@code internal}</td><td>a bug in the producer; it is logged</td></tr>
 * </table>
 */
public record GenerationFailure(String code, String message) {
    public static final String BAD_REQUEST = "bad_request";
    public static final String TOO_LARGE = "too_large";
    public static final String MODEL_NOT_ALLOWED = "model_not_allowed";
    public static final String TIMEOUT = "timeout";
    public static final String BACKEND_UNAVAILABLE = "backend_unavailable";
    public static final String OVERLOADED = "overloaded";
    public static final String UNAVAILABLE = "unavailable";
    public static final String INTERNAL = "internal";

    public GenerationFailure {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** Classifies a failure of the backend while waiting for the first token ({@code firstToken}) or a later one. */
    public static GenerationFailure fromBackend(Throwable failure, boolean firstToken) {
        Throwable cause = GuardedBackend.unwrap(failure);
        if (cause instanceof BackendException backendFailure) {
            return new GenerationFailure(backendFailure.code(), backendFailure.getMessage());
        }
        if (cause instanceof TimeoutException) {
            return new GenerationFailure(TIMEOUT, firstToken ? "no first token from the model in time" : "the model stopped sending tokens");
        }
        if (cause instanceof CallNotPermittedException) {
            return new GenerationFailure(BACKEND_UNAVAILABLE, "the model backend is failing; not trying it for a while");
        }
        if (cause instanceof BulkheadFullException) {
            return new GenerationFailure(OVERLOADED, "too many generations at once");
        }
        return new GenerationFailure(INTERNAL, "unexpected failure: " + cause.getClass().getSimpleName());
    }
}
