package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /rooms} fed garbage: a bad {@code limit} gets a 400 JSON error naming the documented
 * range (1..1000), an unknown or garbage {@code namespace} an empty list that echoes nothing back,
 * and after each of them the directory still answers a normal request with the rooms it knows.
 */
class EdgeDirectoryGarbageIT {
    @RegisterExtension
    static final SharedEdge SHARED = SharedEdge.withDefaults();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LIMIT_ERROR = "{\"error\":\"limit must be 1..1000\"}";
    private static String chatRoom;
    private static String logsRoom;

    /** Two rooms published into through the edge, so that the directory has something to lose. */
    @BeforeAll
    static void publish() {
        chatRoom = "chat:" + TestNames.unique("dir");
        logsRoom = "logs:" + TestNames.unique("dir");
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            c.send("{\"op\":\"publish\",\"id\":1,\"room\":\"" + chatRoom + "\",\"data\":1}");
            assertThat(c.nextOp("ack").path("id").asInt()).isEqualTo(1);
            c.send("{\"op\":\"publish\",\"id\":2,\"room\":\"" + logsRoom + "\",\"data\":2}");
            assertThat(c.nextOp("ack").path("id").asInt()).isEqualTo(2);
        }
        await().atMost(WsClient.WAIT).untilAsserted(() -> assertThat(listed("")).contains(chatRoom, logsRoom));
    }

    private static HttpResponse<String> get(String rawQuery) throws Exception {
        String url = SHARED.edge().url() + "/rooms" + (rawQuery.isEmpty() ? "" : "?" + rawQuery);
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The rooms a 200 answer to {@code GET /rooms?rawQuery} lists, in its order. */
    private static List<String> listed(String rawQuery) throws Exception {
        HttpResponse<String> r = get(rawQuery);
        assertThat(r.statusCode()).as(rawQuery + ": " + r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.size()).as(r.body()).isEqualTo(1);
        assertThat(body.path("rooms").isArray()).as(r.body()).isTrue();
        List<String> rooms = new ArrayList<>();
        body.path("rooms").forEach(e -> rooms.add(e.path("room").asText()));
        return rooms;
    }

    /** What garbage must not cost: the directory still lists both rooms, and a namespace filter still works. */
    private static void assertStillServesTheDirectory() throws Exception {
        assertThat(listed("")).contains(chatRoom, logsRoom);
        assertThat(listed("namespace=chat&limit=1000")).contains(chatRoom).doesNotContain(logsRoom);
        assertThat(listed("namespace=logs")).contains(logsRoom).doesNotContain(chatRoom);
    }

    /** A request written byte for byte (what {@link java.net.URI} refuses to build), answered in full; the connection is closed after it. */
    private static String raw(String requestTarget) throws IOException {
        URI base = URI.create(SHARED.edge().url());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + requestTarget + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void shouldRefuseAGarbageLimitWithA400JsonError() throws Exception {
        List<String> garbage = List.of("abc", "0", "-1", "1001", "2147483648", "99999999999999999999999999999999", "1.5", "0x10",
                "1e3", "%205", "5%00", "",
                "%D9%A5", "%EF%BC%95", "%2B5", "-0", "%E0%A5%A7%E0%A5%A6");
        for (String limit : garbage) {
            HttpResponse<String> r = get("limit=" + limit);
            assertThat(r.statusCode()).as("limit=" + limit).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).as("limit=" + limit).hasValue("application/json");
            assertThat(r.headers().firstValue("Cache-Control")).as("limit=" + limit).hasValue("no-store");
            assertThat(r.body()).as("limit=" + limit).isEqualTo(LIMIT_ERROR);
        }
        // "limit" with no "=" at all, and next to a valid namespace: still the limit's error.
        assertThat(get("limit").statusCode()).isEqualTo(400);
        assertThat(get("limit").body()).isEqualTo(LIMIT_ERROR);
        assertThat(get("namespace=chat&limit=abc").body()).isEqualTo(LIMIT_ERROR);
        assertStillServesTheDirectory();
    }

    @Test
    void shouldAcceptTheDocumentedLimitBoundsAndHonourThem() throws Exception {
        assertThat(listed("limit=1")).hasSize(1);
        assertThat(listed("limit=1000")).contains(chatRoom, logsRoom);
        assertThat(listed("limit=2")).hasSize(2);
    }

    @Test
    void shouldAnswerAnUnknownOrGarbageNamespaceWithAnEmptyListThatEchoesNothing() throws Exception {
        List<String> garbage = List.of("nope", "", "chat:" + chatRoom.substring(5), "CHAT", "chat%00", "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
                "%22%7D%2C%22rooms%22%3A%5B", "..%2F..%2Fetc", "%FF%FE", "chat%0D%0AX-Injected:%201");
        for (String namespace : garbage) {
            HttpResponse<String> r = get("namespace=" + namespace);
            assertThat(r.statusCode()).as("namespace=" + namespace).isEqualTo(200);
            assertThat(r.body()).as("namespace=" + namespace).isEqualTo("{\"rooms\":[]}");
            assertThat(r.headers().firstValue("X-Injected")).isEmpty();
        }
        assertStillServesTheDirectory();
    }

    @Test
    void shouldTakeTheFirstOfRepeatedParameters() throws Exception {
        // Undocumented: a repeated parameter is not refused; its first value counts, the others are ignored.
        assertThat(listed("limit=1&limit=abc")).hasSize(1);
        assertThat(get("limit=abc&limit=1").body()).isEqualTo(LIMIT_ERROR);
        assertThat(get("limit=abc&limit=1").statusCode()).isEqualTo(400);
        assertThat(listed("namespace=chat&namespace=logs")).contains(chatRoom).doesNotContain(logsRoom);
        assertThat(listed("namespace=nope&namespace=chat")).isEmpty();
        assertStillServesTheDirectory();
    }

    @Test
    void shouldSurviveAVeryLongQuery() throws Exception {
        // 32 KiB of namespace: an unknown namespace, not echoed back.
        HttpResponse<String> longNamespace = get("namespace=" + "x".repeat(32 * 1024));
        assertThat(longNamespace.statusCode()).isEqualTo(200);
        assertThat(longNamespace.body()).isEqualTo("{\"rooms\":[]}");
        // 32 KiB of limit digits: not a number in range.
        HttpResponse<String> longLimit = get("limit=" + "9".repeat(32 * 1024));
        assertThat(longLimit.statusCode()).isEqualTo(400);
        assertThat(longLimit.body()).isEqualTo(LIMIT_ERROR);
        // A request head over the edge's limit is not read at all: a bare 400.
        assertThat(raw("/rooms?namespace=" + "x".repeat(EdgeServer.MAX_HEADER_BYTES))).startsWith("HTTP/1.1 400 ");
        // 900 unrelated parameters before a bad limit: the limit is still checked.
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 900; i++) {
            many.append("junk").append(i).append("=").append(i).append('&');
        }
        assertThat(get(many + "limit=0").body()).isEqualTo(LIMIT_ERROR);
        StringBuilder tooMany = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            tooMany.append("junk").append(i).append("=").append(i).append('&');
        }
        // Over Undertow's 1000 parameters: refused by the server before the handler, a bare 400 (not JSON).
        assertThat(raw("/rooms?" + tooMany + "limit=0")).startsWith("HTTP/1.1 400 ");
        assertStillServesTheDirectory();
    }

    @Test
    void shouldRefuseAQueryThatIsNotValidUrlEncodingWith400() throws Exception {
        // Undertow refuses what it cannot decode before the handler sees it; the connection is closed, nothing else.
        for (String target : List.of("/rooms?limit=%zz", "/rooms?namespace=%", "/rooms?limit=%C3")) {
            String response = raw(target);
            assertThat(response).as(target).startsWith("HTTP/1.1 400 ");
        }
        assertStillServesTheDirectory();
    }

    @Test
    void shouldRefuseOtherMethodsWithA405JsonError() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(SHARED.edge().url() + "/rooms"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"limit\":5}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).isEqualTo("{\"error\":\"GET only\"}");
        assertStillServesTheDirectory();
    }
}
