package io.roomcast.producer.backend;

import java.time.Duration;
import java.util.Optional;

/**
 * A backend failed to produce (the rest of) an answer. {@code code} is one of the
 * {@code generation.error} codes; {@code retryable} says whether trying again may help
 * (connection failures, 5xx, 429, malformed output) or not (the request itself is refused).
 */
public final class BackendException extends Exception {
    public static final String BACKEND_ERROR = "backend_error";
    public static final String RATE_LIMITED = "rate_limited";
    public static final String BAD_REQUEST = "bad_request";
    public static final String UNAUTHORIZED = "unauthorized";

    private final String code;
    private final boolean retryable;
    private final Duration retryAfter;

    public BackendException(String code, String message, boolean retryable) {
        this(code, message, retryable, null, null);
    }

    public BackendException(String code, String message, boolean retryable, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }

    /** How long the backend asked us to wait before trying again (HTTP Retry-After), if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
