package io.roomcast.edge.auth;

import io.roomcast.edge.protocol.CloseCode;
import io.roomcast.edge.protocol.ErrorCode;

import java.util.Objects;

/**
 * A token was refused. The {@link #reason()} is a stable, documented code (docs/auth.md); the
 * message is safe to send to the client and to log: it never contains the token or any part of it.
 */
public final class AuthException extends Exception {

    /** Why a token was refused; {@link #wire()} is the code used in messages and logs. */
    public enum Reason {
        /** No token, or an empty one, where one was needed. */
        MISSING("missing"),
        /** Not a compact signed JWT, too long, encrypted, or a required claim is missing or of the wrong type. */
        MALFORMED("malformed"),
        /** The signature does not verify, the algorithm is not accepted ({@code none}, HS256 against a public key) or no key matches. */
        BAD_SIGNATURE("bad_signature"),
        /** {@code exp} is in the past (beyond the clock skew). */
        EXPIRED("expired"),
        /** {@code nbf} is in the future (beyond the clock skew). */
        NOT_YET_VALID("not_yet_valid"),
        /** {@code iss} differs from the configured issuer. */
        WRONG_ISSUER("wrong_issuer"),
        /** {@code aud} does not contain the configured audience. */
        WRONG_AUDIENCE("wrong_audience"),
        /** The {@code rooms} claim is missing or not of the documented form. */
        NO_PERMISSIONS("no_permissions"),
        /** The token came in the URL ({@code ?token=}) and the edge does not allow that: send an {@code auth} frame. */
        TOKEN_IN_URL("token_in_url"),
        /** The verification keys could not be obtained (JWKS unreachable, invalid or rate limited); retry later. */
        KEY_UNAVAILABLE("key_unavailable");

        private final String wire;

        Reason(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    private final Reason reason;

    public AuthException(Reason reason, String safeMessage) {
        this(reason, safeMessage, null);
    }

    /** {@code cause} must not carry token contents; it is only attached where it helps an operator (key fetching). */
    public AuthException(Reason reason, String safeMessage, Throwable cause) {
        super(safeMessage, cause, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    /** Whether the same token may succeed later: only when the keys were unavailable. */
    public boolean retryable() {
        return reason == Reason.KEY_UNAVAILABLE;
    }

    /** The error code for an {@code error} frame answering an {@code auth} frame. */
    public ErrorCode errorCode() {
        return retryable() ? ErrorCode.UNAVAILABLE : ErrorCode.UNAUTHORIZED;
    }

    /**
     * The close code when the token came with the connection: 4401 (do not reconnect with this
     * token), or 1011 (reconnect and resume) when the failure was on the edge's side.
     */
    public CloseCode closeCode() {
        return retryable() ? CloseCode.INTERNAL : CloseCode.UNAUTHORIZED;
    }
}
