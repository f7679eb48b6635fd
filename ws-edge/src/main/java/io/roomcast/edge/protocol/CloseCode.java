package io.roomcast.edge.protocol;

/**
 * The catalogue of WebSocket close codes the edge uses; documented in docs/protocol.md.
 * 4000–4399: reconnect and resume. 4400–4999: do not reconnect as you are.
 */
public enum CloseCode {
    NORMAL(1000, "normal closure"),
    GOING_AWAY(1001, "edge going away; reconnect and resume"),
    PROTOCOL_ERROR(1002, "WebSocket protocol error"),
    UNSUPPORTED_DATA(1003, "binary frames are not supported"),
    INVALID_PAYLOAD(1007, "frame is not valid UTF-8"),
    POLICY(1008, "policy violation"),
    TOO_BIG(1009, "frame too large"),
    INTERNAL(1011, "internal error; reconnect and resume"),
    STALLED(4000, "client read nothing for too long; reconnect and resume"),
    HEARTBEAT_TIMEOUT(4001, "heartbeat timeout; reconnect and resume"),
    RATE_LIMITED(4029, "rate limit exceeded; reconnect later and resume"),
    UNAUTHORIZED(4401, "unauthorized");

    private final int code;
    private final String reason;

    CloseCode(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }
}
