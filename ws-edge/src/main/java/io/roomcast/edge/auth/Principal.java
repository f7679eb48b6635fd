package io.roomcast.edge.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Who a verified token speaks for, until when, and what it grants. Only {@link Authenticator}
 * creates principals from tokens; an anonymous connection has no principal ({@code null}).
 *
 * @param subject     the {@code sub} claim, or {@code ""} when the token has none
 * @param expiresAt   the {@code exp} claim; the connection must be refreshed before it (see {@link Access#deadline})
 * @param permissions the rooms the token grants
 * @param name        the {@code name} claim (a display name for presence), or null
 * @param roles       the {@code roles} claim (for example {@code producer}, which may publish reserved event types)
 */
public record Principal(String subject, Instant expiresAt, Permissions permissions, String name, Set<String> roles) {
    public Principal {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(permissions, "permissions");
        roles = Set.copyOf(roles);
    }

    /** A principal without roles. */
    public Principal(String subject, Instant expiresAt, Permissions permissions, String name) {
        this(subject, expiresAt, permissions, name, Set.of());
    }

    /** A principal without a display name or roles. */
    public Principal(String subject, Instant expiresAt, Permissions permissions) {
        this(subject, expiresAt, permissions, null, Set.of());
    }
}
