package io.roomcast.edge.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.websockets.spi.AsyncWebSocketHttpServerExchange;
import org.junit.jupiter.api.Test;

import java.util.HashSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handshake's headers are dropped once the connection callback had its look: Undertow keeps the
 * exchange referenced for the socket's life, so a big cookie would otherwise stay in every idle
 * connection's heap. Guards the path through Undertow's handshake wrapper to the exchange.
 */
class HandshakeLeftoversTest {
    @Test
    void shouldDropTheHandshakesHeadersWhenReleased() {
        HttpServerExchange exchange = new HttpServerExchange(null, new HeaderMap(), new HeaderMap(), 0);
        exchange.getRequestHeaders().put(Headers.COOKIE, "session=" + "x".repeat(8_000));
        exchange.getRequestHeaders().put(Headers.SEC_WEB_SOCKET_KEY, "dGhlIHNhbXBsZSBub25jZQ==");
        exchange.getResponseHeaders().put(Headers.SEC_WEB_SOCKET_ACCEPT, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        HandshakeLeftovers.remember(exchange);

        HandshakeLeftovers.release(new AsyncWebSocketHttpServerExchange(exchange, new HashSet<>()));

        assertThat(exchange.getRequestHeaders().size()).isZero();
        assertThat(exchange.getResponseHeaders().size()).isZero();
    }

    @Test
    void shouldLeaveAnExchangeItDidNotRememberAlone() {
        HttpServerExchange exchange = new HttpServerExchange(null, new HeaderMap(), new HeaderMap(), 0);
        exchange.getRequestHeaders().put(Headers.COOKIE, "session=1");

        HandshakeLeftovers.release(new AsyncWebSocketHttpServerExchange(exchange, new HashSet<>()));

        assertThat(exchange.getRequestHeaders().getFirst(Headers.COOKIE)).isEqualTo("session=1");
    }
}
