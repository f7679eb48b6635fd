package io.roomcast.edge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What reaches {@code /ws} but is no WebSocket handshake gets a status and a JSON error that say
 * what is wrong, or a bare 400 and a close for a head too large to read; the edge keeps serving.
 */
class EdgeHandshakeGarbageIT {
    private static final String KEY = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    private static final String UPGRADE = "Upgrade: websocket\r\nConnection: Upgrade\r\n";

    @RegisterExtension
    static final SharedEdge SHARED = SharedEdge.with(b -> b);

    /** Sends {@code request} (HOSTPORT replaced) on a fresh socket; the whole response, or what came before the close. */
    private static String exchange(String request) throws IOException {
        URI uri = URI.create(SHARED.edge().wsUrl());
        try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.replace("HOSTPORT", uri.getHost() + ":" + uri.getPort()).getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            int head = -1;
            long length = -1;
            while (head < 0 || response.size() < head + length) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException reset) {
                    break;
                }
                if (n < 0) {
                    break;
                }
                response.write(buffer, 0, n);
                String text = response.toString(StandardCharsets.ISO_8859_1);
                if (head < 0 && text.contains("\r\n\r\n")) {
                    head = text.indexOf("\r\n\r\n") + 4;
                    length = text.lines().filter(l -> l.regionMatches(true, 0, "Content-Length:", 0, 15))
                            .mapToLong(l -> Long.parseLong(l.substring(15).trim())).findFirst().orElse(0);
                }
            }
            return response.toString(StandardCharsets.UTF_8);
        }
    }

    private static String get(String headers) {
        return "GET /ws HTTP/1.1\r\nHost: HOSTPORT\r\n" + headers + "\r\n";
    }

    @Test
    void shouldAnswerARequestThatAsksForNoUpgradeWith426() throws IOException {
        String answer = exchange(get(""));
        assertThat(answer).startsWith("HTTP/1.1 426 ").containsIgnoringCase("Upgrade: websocket")
                .contains("\"code\":\"bad_request\"", "speaks WebSocket only");
    }

    @Test
    void shouldAnswerAnotherOrNoWebSocketVersionWith426NamingTheOneSpoken() throws IOException {
        for (String version : new String[]{"Sec-WebSocket-Version: 99\r\n", "", "Sec-WebSocket-Version: thirteen\r\n",
                "Sec-WebSocket-Version: 8\r\n", "Sec-WebSocket-Version: 7\r\n", "Sec-WebSocket-Version: 12\r\n"}) {
            String answer = exchange(get(UPGRADE + KEY + version));
            assertThat(answer).as(version).startsWith("HTTP/1.1 426 ").containsIgnoringCase("Sec-WebSocket-Version: 13")
                    .contains("\"code\":\"bad_request\"", "is not spoken here: use 13");
        }
    }

    @Test
    void shouldAnswerAHandshakeWithoutAKeyOrNotAGetWith400() throws IOException {
        assertThat(exchange(get(UPGRADE + "Sec-WebSocket-Version: 13\r\n"))).startsWith("HTTP/1.1 400 ")
                .contains("\"code\":\"bad_request\"", "Sec-WebSocket-Key");
        assertThat(exchange("POST /ws HTTP/1.1\r\nHost: HOSTPORT\r\n" + UPGRADE + KEY + "Sec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n"))
                .startsWith("HTTP/1.1 400 ").contains("is a GET request");
    }

    @Test
    void shouldCloseOnARequestThatIsNoHttpOrWhoseHeadIsTooLargeAndKeepServing() throws IOException {
        assertThat(exchange("HELLO\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        assertThat(exchange("\u0000\u0001\u00ff garbage\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        String huge = exchange(get(UPGRADE + KEY + "Sec-WebSocket-Version: 13\r\nX-Padding: " + "a".repeat(EdgeServer.MAX_HEADER_BYTES) + "\r\n"));
        assertThat(huge).as("a head over the limit is not read, let alone upgraded").startsWith("HTTP/1.1 400 ").contains("Connection: close");

        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            c.send("{\"op\":\"ping\",\"id\":1}");
            assertThat(c.nextOp("pong").path("id").asInt()).isEqualTo(1);
        }
        // The addresses whose attempts are counted are a bounded map with a gauge.
        assertThat(SHARED.edge().meters().get("roomcast.connections.tracked.addresses").gauge().value()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void shouldRefuseATokenInTheUrlAlsoOnAnOpenEdge() {
        // No token is needed here, but one in the URL is in the access logs already: the client learns it at once.
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl() + "?token=abc.def.ghi")) {
            assertThat(c.awaitClose()).isEqualTo(4401);
            assertThat(c.closeReason()).isEqualTo("unauthorized: token_in_url");
        }
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl() + "?other=1")) {
            c.send("{\"op\":\"ping\",\"id\":1}");
            assertThat(c.nextOp("pong").path("id").asInt()).isEqualTo(1);
        }
    }
}
