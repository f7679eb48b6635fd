package io.roomcast.edge.http;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Undertow server and a JDK WebSocket client: the upgrade hands a working channel to the
 * callback, which still sees the handshake's request, and the handshake's exchange is garbage once
 * the connection is open. With Undertow's own upgrade listener the exchange stays reachable for
 * the socket's life (its HTTP connection object keeps the listener, which captured it).
 */
class WebSocketUpgradeTest {
    private final CompletableFuture<String> seenProtocolHeader = new CompletableFuture<>();
    private volatile WeakReference<HttpServerExchange> handshakeExchange;
    private Undertow server;
    private WebSocket client;

    @BeforeEach
    void start() {
        HttpHandler upgrade = WebSocketUpgrade.handler((handshake, channel) -> {
            seenProtocolHeader.complete(handshake.getRequestHeader("Sec-WebSocket-Version"));
            channel.getReceiveSetter().set(new AbstractReceiveListener() {
                @Override
                protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                    WebSockets.sendText("echo " + message.getData(), ch, null);
                }
            });
            channel.resumeReceives();
        });
        server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(exchange -> {
            handshakeExchange = new WeakReference<>(exchange);
            upgrade.handleRequest(exchange);
        }).build();
        server.start();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.abort();
        }
        server.stop();
    }

    @Test
    void shouldHandAWorkingChannelToTheCallbackAndLetTheHandshakeGo() throws Exception {
        InetSocketAddress address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        CompletableFuture<String> reply = new CompletableFuture<>();
        client = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Cookie", "session=" + "x".repeat(8_000))
                .buildAsync(URI.create("ws://127.0.0.1:" + address.getPort() + "/ws"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        reply.complete(data.toString());
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);

        client.sendText("hello", true).get(10, TimeUnit.SECONDS);

        assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("echo hello");
        assertThat(seenProtocolHeader.get(10, TimeUnit.SECONDS)).isEqualTo("13");
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            System.gc();
            return handshakeExchange.get() == null;
        });
    }
}
