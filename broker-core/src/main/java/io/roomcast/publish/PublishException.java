package io.roomcast.publish;

/** A publish that did not happen, with the reason a client can act on. */
public final class PublishException extends RuntimeException {
    public enum Reason {
        /** Kafka is unreachable, did not acknowledge in time, or the circuit breaker is open. */
        UNAVAILABLE,
        /** The event is larger than Kafka accepts. */
        TOO_LARGE,
        /** The request itself is invalid (unknown namespace, bad type). */
        INVALID
    }

    private final Reason reason;

    public PublishException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
