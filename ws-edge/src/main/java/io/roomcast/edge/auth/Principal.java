package io.roomcast.edge.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * Who a verified token speaks for, until when, and what it grants. Only {@link Authenticator}
 * creates principals from tokens; an anonymous connection has no principal ({@code null}).
 *
 * @param subject     the {@code sub} claim, or {@code ""} when the token has none
 * @param expiresAt   the {@code exp} claim; the connection must be refreshed before it (see {@link Access#deadline})
 * @param permissions the rooms the token grants
 * @param name        the {@code name} claim (a display name for presence), or null
 */
public record Principal(String subject, Instant expiresAt, Permissions permissions, String name) {
    public Principal {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(permissions, "permissions");
    }

    /** A principal without a display name. */
    public Principal(String subject, Instant expiresAt, Permissions permissions) {
        this(subject, expiresAt, permissions, null);
    }
}
