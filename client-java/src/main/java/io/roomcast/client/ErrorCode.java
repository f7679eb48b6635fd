package io.roomcast.client;

import java.util.Locale;

/**
 * The catalogue of error codes a client can see: the edge's codes from {@code docs/protocol.md} and the few the client
 * raises itself (for example when a publish times out locally). {@link #retryable()} says whether trying the same
 * request again later can succeed.
 */
public enum ErrorCode {
    /** Malformed frame, unknown op, invalid room name or {@code from}, duplicate subscription. */
    BAD_REQUEST("bad_request", Origin.EDGE, false),
    /** No valid token where one is needed. Fatal for the connection: reconnect only with a new token. */
    UNAUTHORIZED("unauthorized", Origin.EDGE, false),
    /** The token does not allow this room or operation. */
    FORBIDDEN("forbidden", Origin.EDGE, false),
    /** Too many requests. */
    RATE_LIMITED("rate_limited", Origin.EDGE, true),
    /** Frame or payload above the limit (the edge's, or {@link ClientOptions#maxFrameBytes()} for a publish). */
    TOO_LARGE("too_large", Origin.EDGE, false),
    /** Too many subscriptions on this connection. */
    LIMIT_EXCEEDED("limit_exceeded", Origin.EDGE, false),
    /** Kafka is unreachable or did not acknowledge in time; nothing was written (rarely: may have been, see eventId). */
    UNAVAILABLE("unavailable", Origin.EDGE, true),
    /**
     * (publish) Kafka did not acknowledge a write it was handed: it may still be written. The client resends a publish
     * with an event id as a retry by itself; one without an event id fails with this code.
     */
    OUTCOME_UNKNOWN("outcome_unknown", Origin.EDGE, true),
    /** A bug on the edge. */
    INTERNAL("internal", Origin.EDGE, true),
    /** HTTP only (an endpoint the edge does not serve); the edge never sends it in an error frame. */
    NOT_FOUND("not_found", Origin.EDGE, false),
    /** A code the edge sent that this client version does not know; the message carries the raw code. */
    UNKNOWN("unknown", Origin.CLIENT, false),

    /** The publish was not acknowledged within {@link ClientOptions#publishTimeout()}. It may still be written. */
    TIMEOUT("timeout", Origin.CLIENT, true),
    /** The bounded publish queue ({@link ClientOptions#publishQueueLimit()}) is full. */
    QUEUE_FULL("queue_full", Origin.CLIENT, true),
    /**
     * The connection broke after a publish without event id was sent and before its ack; it may or may not have been
     * written. (A publish with an event id is resent on the next connection instead.)
     */
    CONNECTION_LOST("connection_lost", Origin.CLIENT, true),
    /** The client is closed (by {@link RoomcastClient#close()} or a fatal error). */
    CLOSED("closed", Origin.CLIENT, false),
    /** The edge sent a frame that does not follow the protocol. */
    PROTOCOL("protocol", Origin.CLIENT, false),
    /** The application's token supplier failed or gave no token. */
    TOKEN_PROVIDER("token_provider", Origin.CLIENT, true),
    /** An application callback threw; reported, never allowed to break the connection. */
    LISTENER("listener", Origin.CLIENT, false);

    /** Who raised the error ({@code unknown} counts as the client's: the edge never sends it). */
    public enum Origin { EDGE, CLIENT }

    private final String wireName;
    private final Origin origin;
    private final boolean retryable;

    ErrorCode(String wireName, Origin origin, boolean retryable) {
        this.wireName = wireName;
        this.origin = origin;
        this.retryable = retryable;
    }

    /** The code as written in frames and logs, for example {@code bad_request}. */
    public String wireName() {
        return wireName;
    }

    public Origin origin() {
        return origin;
    }

    /** Whether the same request may succeed when tried again later. */
    public boolean retryable() {
        return retryable;
    }

    /** The edge code for a wire name; {@link #UNKNOWN} for a name this client does not know (never null). */
    public static ErrorCode fromWire(String wireName) {
        if (wireName != null) {
            for (ErrorCode code : values()) {
                if (code.origin == Origin.EDGE && code.wireName.equals(wireName.toLowerCase(Locale.ROOT))) {
                    return code;
                }
            }
        }
        return UNKNOWN;
    }
}
