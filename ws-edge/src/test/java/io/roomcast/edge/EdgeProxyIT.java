package io.roomcast.edge;

import io.roomcast.edge.http.HttpSettings;
import io.roomcast.edge.http.TrustedProxies;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Per-address connection limits behind a proxy: the proxy (here: this test, on loopback) forwards
 * each client's address, and the edge counts clients, not the proxy — but only when told to trust it.
 */
class EdgeProxyIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static WebSocket connect(EdgeServer edge, String forwardedFor) {
        int before = edge.connections();
        WebSocket ws = HTTP.newWebSocketBuilder().header("X-Forwarded-For", forwardedFor)
                .buildAsync(URI.create(edge.wsUrl()), new WebSocket.Listener() {
                }).join();
        await().atMost(WsClient.WAIT).until(() -> edge.connections() > before);
        return ws;
    }

    private static void assertRefused(EdgeServer edge, String forwardedFor) {
        assertThatThrownBy(() -> connect(edge, forwardedFor)).as(forwardedFor)
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode()).isEqualTo(503));
    }

    @Test
    void shouldLimitEachForwardedClientAndNotTheTrustedProxy() {
        List<WebSocket> open = new ArrayList<>();
        try (EdgeServer edge = EdgeFixture.start(EdgeFixture.isolatedNamespaces(), b -> b.maxConnectionsPerIp(2)
                .http(HttpSettings.ofDefaults().withTrustedProxies(TrustedProxies.parse(List.of("127.0.0.0/8", "::1")))))) {
            // Three clients behind the same proxy each get their own allowance.
            for (String client : List.of("198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.1")) {
                open.add(connect(edge, client));
            }
            // One abuser exhausts only its own.
            assertRefused(edge, "198.51.100.1");
            // A client cannot pick its own address by prepending one: the right-most untrusted hop counts.
            assertRefused(edge, "203.0.113.50, 198.51.100.1");
            // IPv6 clients count per /64.
            open.add(connect(edge, "2001:db8:1:2::a"));
            open.add(connect(edge, "2001:db8:1:2::b"));
            assertRefused(edge, "2001:db8:1:2:ffff::1");
            open.add(connect(edge, "2001:db8:1:3::a"));
        } finally {
            open.forEach(WebSocket::abort);
        }
    }

    @Test
    void shouldIgnoreForwardingHeadersFromAnUntrustedPeer() {
        List<WebSocket> open = new ArrayList<>();
        try (EdgeServer edge = EdgeFixture.start(EdgeFixture.isolatedNamespaces(), b -> b.maxConnectionsPerIp(2))) {
            open.add(connect(edge, "198.51.100.1"));
            open.add(connect(edge, "198.51.100.2"));
            assertRefused(edge, "198.51.100.3"); // all three are the loopback peer
        } finally {
            open.forEach(WebSocket::abort);
        }
    }
}
