package io.roomcast.edge.auth;

import io.roomcast.edge.protocol.ErrorCode;
import io.roomcast.edge.status.SystemRooms;
import io.roomcast.room.RoomName;

import java.time.Instant;
import java.util.Objects;

/**
 * The authorization decisions a session asks for: may this connection stay, may it subscribe to
 * or publish into this room. A principal of {@code null} means anonymous (no token). Pure and
 * thread-safe: it consults only the configuration and the principal, never the clock or the network.
 *
 * <p>Rules: on an {@link #open()} edge everything is allowed. Otherwise a namespace listed in
 * {@code anonymousSubscribe} ({@code anonymousPublish}) admits everyone, with or without a token;
 * any other room needs a token ({@code unauthorized}) whose {@code rooms} claim grants it
 * ({@code forbidden}).
 */
public final class Access {
    private final AuthConfig config;

    public Access(AuthConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Whether no token verification is configured: every namespace is open (log a warning at start-up). */
    public boolean open() {
        return config.open();
    }

    /**
     * Whether a connection with this principal may stay connected. Anonymous connections may stay
     * when the edge is open or some namespace admits anonymous clients; otherwise the edge expects an
     * {@code auth} frame first (docs/auth.md) and closes with 4401 when none comes.
     */
    public boolean mayConnect(Principal principal) {
        return principal != null || config.open() || !config.anonymousSubscribe().isEmpty() || !config.anonymousPublish().isEmpty();
    }

    public Decision subscribe(Principal principal, RoomName room) {
        if (config.open() || config.anonymousSubscribe().contains(room.namespace())) {
            return Decision.allow();
        }
        if (principal == null) {
            return Decision.deny(ErrorCode.UNAUTHORIZED, "subscribing to " + room + " needs a token");
        }
        return principal.permissions().maySubscribe(room)
                ? Decision.allow()
                : Decision.deny(ErrorCode.FORBIDDEN, "the token does not allow subscribing to " + room);
    }

    public Decision publish(Principal principal, RoomName room) {
        if (SystemRooms.readOnly(room)) {
            return Decision.deny(ErrorCode.FORBIDDEN, room + " is a read-only system room");
        }
        if (config.open() || config.anonymousPublish().contains(room.namespace())) {
            return Decision.allow();
        }
        if (principal == null) {
            return Decision.deny(ErrorCode.UNAUTHORIZED, "publishing to " + room + " needs a token");
        }
        return principal.permissions().mayPublish(room)
                ? Decision.allow()
                : Decision.deny(ErrorCode.FORBIDDEN, "the token does not allow publishing to " + room);
    }

    /**
     * Whether a connection authenticated as {@code current} ({@code null} = anonymous) may switch
     * to {@code next} through an {@code auth} frame: a refresh must keep the subject, so one
     * connection never speaks for two users; an anonymous connection may authenticate as anyone.
     */
    public Decision refresh(Principal current, Principal next) {
        Objects.requireNonNull(next, "next");
        if (current == null || current.subject().equals(next.subject())) {
            return Decision.allow();
        }
        return Decision.deny(ErrorCode.FORBIDDEN, "a refreshed token must have the same subject as the connection's token");
    }

    /**
     * When a connection authenticated as {@code principal} must be closed with 4401 unless it
     * refreshed its token: the token's {@code exp} plus the clock skew (the same tolerance the
     * token was verified with).
     */
    public Instant deadline(Principal principal) {
        return principal.expiresAt().plus(config.clockSkew());
    }
}
