package io.roomcast.edge.auth;

import io.roomcast.edge.protocol.ErrorCode;

/**
 * The answer of {@link Access}: allowed, or refused with the error code and message to send in
 * the {@code error} frame ({@code unauthorized}: a token is needed; {@code forbidden}: the token
 * does not grant it). Messages name the room but never a token.
 *
 * @param code    {@code null} when allowed
 * @param message {@code null} when allowed
 */
public record Decision(ErrorCode code, String message) {
    private static final Decision ALLOWED = new Decision(null, null);

    public Decision {
        if ((code == null) != (message == null)) {
            throw new IllegalArgumentException("a refusal needs both a code and a message");
        }
    }

    public static Decision allow() {
        return ALLOWED;
    }

    public static Decision deny(ErrorCode code, String message) {
        return new Decision(code, message);
    }

    public boolean allowed() {
        return code == null;
    }
}
