package io.roomcast.edge.protocol;

/** The catalogue of error codes sent in {@code error} frames; documented in docs/protocol.md. */
public enum ErrorCode {
    BAD_REQUEST("bad_request"),
    UNAUTHORIZED("unauthorized"),
    FORBIDDEN("forbidden"),
    RATE_LIMITED("rate_limited"),
    TOO_LARGE("too_large"),
    LIMIT_EXCEEDED("limit_exceeded"),
    UNAVAILABLE("unavailable"),
    /** A publish Kafka did not acknowledge may still be written: resend it with its eventId and {@code retry:true}. */
    OUTCOME_UNKNOWN("outcome_unknown"),
    INTERNAL("internal"),
    /** HTTP only: no such resource, or one the configuration turned off; never sent in an error frame. */
    NOT_FOUND("not_found");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
