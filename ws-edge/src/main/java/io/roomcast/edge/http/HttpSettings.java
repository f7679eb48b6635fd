package io.roomcast.edge.http;

import java.time.Duration;
import java.util.Objects;

/**
 * The edge's HTTP-side settings: whom to believe about client addresses, where the management
 * endpoints listen, and how health is judged. Immutable and validated on construction; defaults in
 * {@link #ofDefaults()}; documented in docs/security.md and docs/operations.md.
 *
 * @param trustedProxies    proxies whose forwarding headers name the client (default none)
 * @param managementPort    a separate listener for {@code /metrics} and {@code /admin/*}; {@code -1}
 *                          (default) = none: they stay on the main listener, served only to
 *                          requests from this host that did not pass a proxy, or carrying the
 *                          admin token; {@code 0} = any free port
 * @param managementHost    the separate listener's address (default {@code 127.0.0.1})
 * @param readinessCacheTtl how long {@code /readyz} reuses its Kafka probe (default 1 s)
 * @param livenessTimeout   how long the live tail or an IO thread may go without a heartbeat before
 *                          {@code /healthz} answers 503 (default 30 s: longer than the live tail's
 *                          10 s wait for a partition's position while Kafka is away, so that a Kafka
 *                          outage does not get healthy edges restarted)
 */
public record HttpSettings(TrustedProxies trustedProxies, int managementPort, String managementHost,
                           Duration readinessCacheTtl, Duration livenessTimeout) {

    public HttpSettings {
        Objects.requireNonNull(trustedProxies, "trustedProxies");
        if (managementPort < -1 || managementPort > 65535) {
            throw new IllegalArgumentException("managementPort must be -1 (none), 0 (any) or 1..65535, was " + managementPort);
        }
        if (managementHost == null || managementHost.isBlank()) {
            throw new IllegalArgumentException("managementHost must be an address to listen on");
        }
        Objects.requireNonNull(readinessCacheTtl, "readinessCacheTtl");
        if (readinessCacheTtl.isNegative() || readinessCacheTtl.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("readinessCacheTtl must be 0..60 s, was " + readinessCacheTtl);
        }
        Objects.requireNonNull(livenessTimeout, "livenessTimeout");
        if (livenessTimeout.compareTo(Duration.ofSeconds(2)) < 0) {
            throw new IllegalArgumentException("livenessTimeout must be at least 2 s (heartbeats come every second), was " + livenessTimeout);
        }
    }

    public static HttpSettings ofDefaults() {
        return new HttpSettings(TrustedProxies.NONE, -1, "127.0.0.1", Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    public HttpSettings withTrustedProxies(TrustedProxies v) {
        return new HttpSettings(v, managementPort, managementHost, readinessCacheTtl, livenessTimeout);
    }

    public HttpSettings withManagement(String host, int port) {
        return new HttpSettings(trustedProxies, port, host, readinessCacheTtl, livenessTimeout);
    }

    public HttpSettings withReadinessCacheTtl(Duration v) {
        return new HttpSettings(trustedProxies, managementPort, managementHost, v, livenessTimeout);
    }

    public HttpSettings withLivenessTimeout(Duration v) {
        return new HttpSettings(trustedProxies, managementPort, managementHost, readinessCacheTtl, v);
    }

    /** Whether {@code /metrics} and {@code /admin/*} have a listener of their own. */
    public boolean separateManagement() {
        return managementPort >= 0;
    }
}
