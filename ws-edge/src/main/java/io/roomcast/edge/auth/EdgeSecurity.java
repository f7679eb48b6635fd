package io.roomcast.edge.auth;

import java.time.Duration;

/**
 * Everything an edge needs to decide who may connect, subscribe and publish: the token verifier
 * (absent on an open edge), the access rules and the Origin allow-list.
 *
 * @param authenticator null when no authentication is configured
 */
public record EdgeSecurity(AuthConfig config, Authenticator authenticator, Access access, OriginPolicy origins)
        implements AutoCloseable {

    public static EdgeSecurity of(AuthConfig config) {
        return new EdgeSecurity(config, config.open() ? null : Authenticator.create(config), new Access(config),
                config.origins());
    }

    /** How long an anonymous connection on a closed edge may wait before sending an {@code auth} frame. */
    public Duration authGrace() {
        return config.authGrace();
    }

    public boolean open() {
        return config.open();
    }

    @Override
    public void close() {
        if (authenticator != null) {
            authenticator.close();
        }
    }
}
