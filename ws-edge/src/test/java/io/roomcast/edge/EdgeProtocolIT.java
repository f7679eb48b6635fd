package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Garbage on the wire gets a clear error or close code, never a crash or a hang; the edge keeps serving. */
class EdgeProtocolIT {
    @RegisterExtension
    static final SharedEdge SHARED = SharedEdge.with(b -> b.maxFrameBytes(4096).maxSubscriptionsPerConnection(2));

    @Test
    void shouldAnswerMalformedRequestsWithBadRequestAndKeepTheConnection() {
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            c.send("this is not json");
            assertThat(c.nextOp("error").path("code").asText()).isEqualTo("bad_request");
            c.send("{\"op\":\"teleport\",\"id\":5}");
            JsonNode unknown = c.nextOp("error");
            assertThat(unknown.path("id").asInt()).isEqualTo(5);
            assertThat(unknown.path("message").asText()).contains("unknown op");
            c.send("{\"op\":\"subscribe\",\"id\":6,\"room\":\"chat:<script>\"}");
            assertThat(c.nextOp("error").path("message").asText()).contains("invalid room name");
            c.send("{\"op\":\"subscribe\",\"id\":7,\"room\":\"nowhere:x\"}");
            JsonNode unknownNamespace = c.nextOp("error");
            assertThat(unknownNamespace.path("code").asText()).isEqualTo("bad_request");
            assertThat(unknownNamespace.path("message").asText()).contains("not configured");
            c.send("{\"op\":\"publish\",\"id\":8,\"room\":\"nowhere:x\",\"data\":1}");
            assertThat(c.nextOp("error").path("code").asText()).isEqualTo("bad_request");
            // signals to a namespace that is not configured: bad_request as for any request, not forbidden
            c.send("{\"op\":\"publish\",\"id\":10,\"room\":\"nowhere:x\",\"data\":1,\"ephemeral\":true}");
            assertThat(c.nextOp("error").path("code").asText()).isEqualTo("bad_request");
            c.send("{\"op\":\"subscribe\",\"id\":11,\"room\":\"nowhere:x\",\"ephemeral\":true}");
            assertThat(c.nextOp("error").path("message").asText()).contains("not configured");
            c.send("{\"op\":\"presence\",\"id\":14,\"room\":\"nowhere:x\"}");
            JsonNode presence = c.nextOp("error");
            assertThat(presence.path("id").asInt()).isEqualTo(14);
            assertThat(presence.path("message").asText()).contains("not configured");
            // a second JSON value behind the first: the whole message is refused, not half of it taken
            c.send("{\"op\":\"ping\",\"id\":12}{\"op\":\"ping\",\"id\":13}");
            JsonNode trailing = c.nextOp("error");
            assertThat(trailing.has("id")).isFalse();
            assertThat(trailing.path("message").asText()).startsWith("frame is not valid JSON");

            c.send("{\"op\":\"ping\",\"id\":9}");
            assertThat(c.nextOp("pong").path("id").asInt()).isEqualTo(9);
        }
    }

    @Test
    void shouldAnswerASubscribeThatItsUnsubscribeOvertook() {
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            for (int i = 0; i < 10; i++) {
                String room = "chat:" + TestNames.unique("overtaken");
                int subscribeId = 2 * i + 1;
                int unsubscribeId = 2 * i + 2;
                c.send("[{\"op\":\"subscribe\",\"id\":" + subscribeId + ",\"room\":\"" + room + "\"},"
                        + "{\"op\":\"unsubscribe\",\"id\":" + unsubscribeId + ",\"room\":\"" + room + "\"}]");
                List<JsonNode> frames = c.until(f -> "unsubscribed".equals(f.path("op").asText()) && f.path("id").asInt() == unsubscribeId);
                assertThat(frames).as("subscribe %d is answered before its unsubscribe", subscribeId)
                        .anyMatch(f -> f.path("id").asInt() == subscribeId);
            }
        }
    }

    @Test
    void shouldRefuseDuplicateAndTooManySubscriptionsAndUnknownUnsubscribes() {
        String room = "chat:" + TestNames.unique("dup");
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            c.send("[{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\"},{\"op\":\"subscribe\",\"id\":2,\"room\":\"" + room + "\"}]");
            JsonNode dup = c.nextOp("error");
            assertThat(dup.path("id").asInt()).isEqualTo(2);
            assertThat(dup.path("message").asText()).contains("already subscribed");
            c.send("{\"op\":\"subscribe\",\"id\":3,\"room\":\"chat:" + TestNames.unique() + "\"}");
            c.send("{\"op\":\"subscribe\",\"id\":4,\"room\":\"chat:" + TestNames.unique() + "\"}");
            JsonNode limit = c.nextOp("error");
            assertThat(limit.path("id").asInt()).isEqualTo(4);
            assertThat(limit.path("code").asText()).isEqualTo("limit_exceeded");
            c.send("{\"op\":\"unsubscribe\",\"id\":5,\"room\":\"chat:never\"}");
            assertThat(c.nextOp("error").path("id").asInt()).isEqualTo(5);
        }
    }

    /**
     * A client resubscribing to a room (a chat page renaming its presence) sends unsubscribe and subscribe at once;
     * it drops the room's frames until the unsubscribe is answered, as they belong to the old subscription. So the
     * answer must come before anything of the new subscription, every time.
     */
    @Test
    void shouldAnswerAnUnsubscribeBeforeAnyFrameOfTheRoomsNextSubscription() {
        String room = "chat:" + TestNames.unique("again");
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"from\":\"earliest\",\"presence\":true}");
            c.nextOp("live");
            for (int i = 0; i < 4; i++) { // a connection may change its presence 5 times a second
                int unsubscribe = 100 + 2 * i;
                int subscribe = unsubscribe + 1;
                c.send("[{\"op\":\"unsubscribe\",\"id\":" + unsubscribe + ",\"room\":\"" + room + "\"},"
                        + "{\"op\":\"subscribe\",\"id\":" + subscribe + ",\"room\":\"" + room + "\",\"from\":\"earliest\","
                        + "\"presence\":true,\"name\":\"n" + i + "\"}]");
                List<JsonNode> frames = c.until(f -> "live".equals(f.path("op").asText()));
                List<String> ops = frames.stream().map(f -> f.path("op").asText() + ":" + f.path("id").asText()).toList();
                assertThat(ops).as("round " + i).containsSubsequence("unsubscribed:" + unsubscribe, "subscribed:" + subscribe, "live:");
            }
        }
    }

    @Test
    void shouldRefuseOversizedPublishesWithTooLarge() {
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            c.send("{\"op\":\"publish\",\"id\":1,\"room\":\"chat:x\",\"data\":\"" + "x".repeat(5000) + "\"}");
            assertThat(c.awaitClose()).isEqualTo(1009);
        }
    }

    @Test
    void shouldCloseWith1007OnInvalidUtf8() throws Exception {
        try (RawSocket raw = new RawSocket(SHARED.edge().wsUrl())) {
            raw.frame(0x1, new byte[]{'{', '"', (byte) 0xc3, 0x28, '"', '}'});
            assertThat(raw.awaitCloseCode()).isEqualTo(1007);
        }
    }

    @Test
    void shouldAnswerAWebSocketPingWithItsPayload() throws Exception {
        try (RawSocket raw = new RawSocket(SHARED.edge().wsUrl())) {
            raw.frame(0x1, "{\"op\":\"ping\",\"id\":7}".getBytes(StandardCharsets.UTF_8));
            raw.frame(0x9, "are you there".getBytes(StandardCharsets.UTF_8));
            RawSocket.Frame answer = raw.next();
            RawSocket.Frame pong = raw.next();
            assertThat(answer.opcode()).isEqualTo(0x1);
            assertThat(new String(answer.payload(), StandardCharsets.UTF_8)).contains("\"op\":\"pong\"").contains("\"id\":7");
            assertThat(pong.opcode()).isEqualTo(0xA);
            assertThat(new String(pong.payload(), StandardCharsets.UTF_8)).isEqualTo("are you there");
        }
    }

    @Test
    void shouldEchoTheClientsCloseFrame() throws Exception {
        try (RawSocket raw = new RawSocket(SHARED.edge().wsUrl())) {
            raw.frame(0x8, new byte[]{0x03, (byte) 0xE8, 'b', 'y', 'e'});
            assertThat(raw.awaitCloseCode()).isEqualTo(1000);
        }
    }

    @Test
    void shouldEndTheConnectionAfterItsCloseFrameAndTheClientsAnswer() throws Exception {
        try (RawSocket raw = new RawSocket(SHARED.edge().wsUrl())) {
            raw.frame(0x2, new byte[]{1, 2, 3});
            assertThat(raw.awaitCloseCode()).isEqualTo(1003);
            raw.frame(0x8, new byte[]{0x03, (byte) 0xEB});
            assertThat(raw.next()).isNull();
        }
    }

    @Test
    void shouldReadAFrameThatCameInTheHandshakesPacket() throws Exception {
        byte[] ping = RawSocket.masked(true, 0x1, "{\"op\":\"ping\",\"id\":11}".getBytes(StandardCharsets.UTF_8));
        try (RawSocket raw = new RawSocket(SHARED.edge().wsUrl(), ping)) {
            assertThat(new String(raw.next().payload(), StandardCharsets.UTF_8)).contains("\"op\":\"pong\"").contains("\"id\":11");
        }
    }

    @Test
    void shouldJoinAFragmentedRequestAndAnswerAPingBetweenItsFragments() throws Exception {
        try (RawSocket raw = new RawSocket(SHARED.edge().wsUrl())) {
            raw.frame(false, 0x1, "{\"op\":\"pi".getBytes(StandardCharsets.UTF_8));
            raw.frame(true, 0x9, "between".getBytes(StandardCharsets.UTF_8));
            raw.frame(false, 0x0, "ng\",\"id".getBytes(StandardCharsets.UTF_8));
            raw.frame(true, 0x0, "\":12}".getBytes(StandardCharsets.UTF_8));
            RawSocket.Frame pong = raw.next();
            RawSocket.Frame answer = raw.next();
            assertThat(pong.opcode()).isEqualTo(0xA);
            assertThat(new String(pong.payload(), StandardCharsets.UTF_8)).isEqualTo("between");
            assertThat(new String(answer.payload(), StandardCharsets.UTF_8)).contains("\"op\":\"pong\"").contains("\"id\":12");
        }
    }

    @Test
    void shouldCloseWith1002OnAnUnmaskedFrame() throws Exception {
        try (RawSocket raw = new RawSocket(SHARED.edge().wsUrl(), new byte[]{(byte) 0x81, 0x02, '{', '}'})) {
            assertThat(raw.awaitCloseCode()).isEqualTo(1002);
        }
    }

    @Test
    void shouldCloseWith1009OnAFrameAboveTheLimit() throws Exception {
        try (RawSocket raw = new RawSocket(SHARED.edge().wsUrl())) {
            raw.frame(0x1, ("{\"op\":\"ping\",\"pad\":\"" + "x".repeat(10_000) + "\"}").getBytes(StandardCharsets.UTF_8));
            assertThat(raw.awaitCloseCode()).isEqualTo(1009);
        }
    }

    @Test
    void shouldCloseWith1003OnBinaryFrames() {
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            c.sendBinary(new byte[]{1, 2, 3});
            assertThat(c.awaitClose()).isEqualTo(1003);
        }
    }

    @Test
    void shouldReportHealthAndReadiness() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(SHARED.edge().url() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(SHARED.edge().url() + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(SHARED.edge().url() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("roomcast_connections");
    }
}
