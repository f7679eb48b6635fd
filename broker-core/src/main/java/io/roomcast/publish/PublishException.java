package io.roomcast.publish;

/** A publish that did not succeed, with the reason a client can act on. */
public final class PublishException extends RuntimeException {
    public enum Reason {
        /** Nothing was written: Kafka is unreachable (the record never left this process) or the circuit breaker is open. */
        UNAVAILABLE,
        /**
         * Kafka did not acknowledge a write that was handed to the producer: it may still land (an
         * in-flight request, a leader election). Only a lookup after the write has settled tells.
         */
        OUTCOME_UNKNOWN,
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

    /** Whether the event was certainly not written by this attempt (every reason but {@link Reason#OUTCOME_UNKNOWN}). */
    public boolean definite() {
        return reason != Reason.OUTCOME_UNKNOWN;
    }
}
