package io.roomcast.edge.http;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.conduits.ConduitStreamSourceChannel;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.net.Socket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Undertow server and a JDK WebSocket client: the upgrade hands the upgraded connection to
 * the callback, which still sees the handshake's request; the handshake's exchange is garbage once
 * the connection is open, and the connection still carries frames both ways and closes. With
 * Undertow's own upgrade listener the exchange stays reachable for the socket's life (its HTTP
 * connection object keeps the listener, which captured it). The server side here speaks just enough
 * framing for the test (one small masked text frame per read; a close frame hangs up).
 */
class WebSocketUpgradeTest {
    private final CompletableFuture<String> seenProtocolHeader = new CompletableFuture<>();
    private volatile WeakReference<HttpServerExchange> handshakeExchange;
    private final CompletableFuture<StreamConnection> serverConnection = new CompletableFuture<>();
    private Undertow server;
    private WebSocket client;

    @BeforeEach
    void start() {
        HttpHandler upgrade = WebSocketUpgrade.handler((handshake, connection) -> {
            seenProtocolHeader.complete(handshake.getRequestHeaders().getFirst("Sec-WebSocket-Version"));
            serverConnection.complete(connection);
            connection.getSourceChannel().setReadListener(source -> echo(connection, source));
            connection.getSourceChannel().resumeReads();
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
        LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
        client = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Cookie", "session=" + "x".repeat(8_000))
                .buildAsync(URI.create("ws://127.0.0.1:" + address.getPort() + "/ws"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        replies.add(data.toString());
                        ws.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);

        client.sendText("hello", true).get(10, TimeUnit.SECONDS);

        assertThat(replies.poll(10, TimeUnit.SECONDS)).isEqualTo("echo hello");
        assertThat(seenProtocolHeader.get(10, TimeUnit.SECONDS)).isEqualTo("13");
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            System.gc();
            return handshakeExchange.get() == null;
        });

        client.sendText("still there?", true).get(10, TimeUnit.SECONDS);
        assertThat(replies.poll(10, TimeUnit.SECONDS)).isEqualTo("echo still there?");
        client.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        StreamConnection connection = serverConnection.get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> !connection.isOpen());
    }

    /**
     * A client that sends its first frame in the same packet as its handshake: Undertow read the
     * frame with the request and delivers it from the HTTP connection's buffer. The frame arrives.
     */
    @Test
    void shouldDeliverAFrameThatCameWithTheHandshake() throws Exception {
        InetSocketAddress address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        try (Socket socket = new Socket("127.0.0.1", address.getPort())) {
            socket.setSoTimeout(10_000);
            byte[] request = ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] payload = "early".getBytes(StandardCharsets.US_ASCII);
            byte[] mask = {1, 2, 3, 4};
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            packet.write(request);
            packet.write(0x81);
            packet.write(0x80 | payload.length);
            packet.write(mask);
            for (int i = 0; i < payload.length; i++) {
                packet.write(payload[i] ^ mask[i % 4]);
            }
            socket.getOutputStream().write(packet.toByteArray());
            socket.getOutputStream().flush();

            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101");
            assertThat(in.read()).isEqualTo(0x81);
            int length = in.read();
            assertThat(new String(in.readNBytes(length), StandardCharsets.US_ASCII)).isEqualTo("echo early");
        }
    }

    /** Answers a client's text frame with "echo " and its text; hangs up on its close frame or its hang-up. */
    private static void echo(StreamConnection connection, ConduitStreamSourceChannel source) {
        ByteBuffer in = ByteBuffer.allocate(4096);
        try {
            int n = source.read(in);
            if (n < 0 || n > 0 && (in.get(0) & 0x0F) == 0x8) {
                IoUtils.safeClose(connection);
                return;
            }
            if (n == 0) {
                return;
            }
            int length = in.get(1) & 0x7F;
            byte[] text = new byte[length];
            for (int i = 0; i < length; i++) {
                text[i] = (byte) (in.get(6 + i) ^ in.get(2 + (i & 3)));
            }
            byte[] reply = ("echo " + new String(text, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            ByteBuffer frame = ByteBuffer.allocate(2 + reply.length).put((byte) 0x81).put((byte) reply.length).put(reply).flip();
            while (frame.hasRemaining()) {
                connection.getSinkChannel().write(frame);
            }
            connection.getSinkChannel().flush();
        } catch (IOException e) {
            IoUtils.safeClose(connection);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the server closed during its handshake response: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
