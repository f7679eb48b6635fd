package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.producer.ModelProducer;
import io.roomcast.producer.ModelProducerConfig;
import io.roomcast.producer.sim.SimSettings;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.room.RoomPartitioner;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The OpenAI-compatible endpoint against the simulated model on a real Kafka: the official
 * {@code openai} npm package as the client (streamed and whole answers, typed errors for bad
 * input), the answer visible to every member of the room over SSE, and a streamed answer cut off
 * on one edge and continued on another with {@code Last-Event-ID}, with no chunk lost or repeated.
 */
class EdgeOpenAiIT {
    private static final Path JS = Path.of("src", "test", "js").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Namespaces namespaces;
    private static EdgeServer edge;
    private static EdgeServer other;
    private static ModelProducer producer;

    @BeforeAll
    static void start() throws InterruptedException {
        namespaces = EdgeFixture.isolatedNamespaces();
        edge = EdgeFixture.start(namespaces, b -> b);
        other = EdgeFixture.start(namespaces, b -> b);
        String chatTopic = namespaces.find("chat").orElseThrow().topic();
        producer = ModelProducer.start(ModelProducerConfig.builder(TestKafka.bootstrapServers())
                .namespaceTopics(Map.of("chat", chatTopic)).partitions(4)
                .sim(new SimSettings("sim", 42, Duration.ofMillis(5), Duration.ofMillis(15), 20, 40))
                .logs(namespaces.find("logs").orElseThrow().topic(), "logs:model-producer", false)
                .groupId(TestNames.unique("group")).build());
        producer.awaitAssignment(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        producer.close();
        edge.close();
        other.close();
    }

    private static byte[] body(String content, boolean stream) {
        return ("{\"model\":\"sim\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldServeTheOfficialOpenAiClient() throws Exception {
        assumeTrue(Files.isDirectory(JS.resolve("node_modules/openai")), "run npm ci in ws-edge/src/test/js first");
        RoomName room = RoomName.of("chat:" + TestNames.unique("oai"));
        try (SseClient members = SseClient.get(edge.url() + "/sse?room=" + room.value(), Map.of())) {
            members.nextNamed("live");
            ProcessBuilder pb = new ProcessBuilder("node", "openai-chat.mjs").directory(JS.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().put("ROOMCAST_URL", edge.url());
            pb.environment().put("ROOMCAST_ROOM", room.value());
            Process node = pb.start();
            assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("node finished").isTrue();
            String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(node.exitValue()).as(output).isZero();
            JsonNode out = JSON.readTree(output);

            JsonNode streamed = out.path("streamed");
            assertThat(streamed.path("ids").size()).isEqualTo(1);
            assertThat(streamed.path("ids").get(0).asText()).startsWith("chatcmpl-");
            assertThat(streamed.path("objects").toString()).isEqualTo("[\"chat.completion.chunk\"]");
            assertThat(streamed.path("models").toString()).isEqualTo("[\"sim\"]");
            assertThat(streamed.path("role").asText()).isEqualTo("assistant");
            assertThat(streamed.path("text").asText()).isNotBlank();
            assertThat(streamed.path("finish").size()).isEqualTo(1);
            assertThat(streamed.path("usage").path("completion_tokens").asInt()).isPositive();

            // Everyone in the room saw the prompt and the same answer, token by token.
            List<SseClient.Event> seen = members.until(e -> e.json().path("type").asText().equals("generation.done"));
            assertThat(seen.get(0).json().path("type").asText()).isEqualTo("prompt");
            assertThat(seen.get(0).json().path("data").path("text").asText()).isEqualTo("What is a Kafka partition?");
            StringBuilder text = new StringBuilder();
            seen.stream().map(SseClient.Event::json).filter(e -> e.path("type").asText().equals("token"))
                    .forEach(e -> text.append(e.path("data").path("text").asText()));
            assertThat(text.toString()).isEqualTo(streamed.path("text").asText());

            JsonNode whole = out.path("whole");
            assertThat(whole.path("object").asText()).isEqualTo("chat.completion");
            assertThat(whole.path("role").asText()).isEqualTo("assistant");
            assertThat(whole.path("text").asText()).isNotBlank();
            assertThat(whole.path("finish").asText()).isIn("stop", "length");

            assertThat(out.path("unknownModel").path("status").asInt()).isEqualTo(404);
            assertThat(out.path("unknownModel").path("kind").asText()).isEqualTo("NotFoundError");
            assertThat(out.path("unknownModel").path("code").asText()).isEqualTo("model_not_found");
            assertThat(out.path("missingMessages").path("status").asInt()).isEqualTo(400);
            assertThat(out.path("missingMessages").path("kind").asText()).isEqualTo("BadRequestError");
            assertThat(out.path("missingMessages").path("param").asText()).isEqualTo("messages");
            assertThat(out.path("notUserLast").path("status").asInt()).isEqualTo(400);
            assertThat(out.path("tooLarge").path("status").asInt()).isEqualTo(413);
            assertThat(out.path("tooLarge").path("code").asText()).isEqualTo("request_too_large");
            assertThat(out.path("badRoom").path("status").asInt()).isEqualTo(400);
            assertThat(out.path("badRoom").path("param").asText()).isEqualTo("room");
            for (String c : List.of("malformed", "notAnObject")) {
                assertThat(out.path(c).path("status").asInt()).as(c).isEqualTo(400);
                assertThat(out.path(c).path("body").path("error").path("type").asText()).as(c).isEqualTo("invalid_request_error");
                assertThat(out.path(c).path("body").path("error").path("message").asText()).as(c).isNotBlank();
            }
        }
    }

    @Test
    void shouldContinueACutOffAnswerOnAnotherEdgeWithLastEventId() {
        String id;
        List<Long> chunkIds = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        try (SseClient c = SseClient.request("POST", edge.url() + "/v1/chat/completions",
                Map.of("Content-Type", "application/json"), body("Tell me about offsets and epochs", true), 0)) {
            assertThat(c.status()).isEqualTo(200);
            for (int i = 0; i < 4; i++) {
                SseClient.Event e = c.nextNamed("message");
                chunkIds.add(Long.parseLong(e.id()));
                text.append(e.json().path("choices").path(0).path("delta").path("content").asText(""));
                id = e.json().path("id").asText();
            }
            id = c.nextNamed("message").json().path("id").asText(); // one more, not counted: lost with the connection
        }
        long last = chunkIds.get(chunkIds.size() - 1);
        try (SseClient c = SseClient.get(other.url() + "/v1/chat/completions/" + id, Map.of("Last-Event-ID", Long.toString(last)))) {
            assertThat(c.status()).isEqualTo(200);
            List<SseClient.Event> rest = c.until(e -> e.data().equals("[DONE]"));
            rest.remove(rest.size() - 1);
            for (SseClient.Event e : rest) {
                chunkIds.add(Long.parseLong(e.id()));
                text.append(e.json().path("choices").path(0).path("delta").path("content").asText(""));
            }
        }
        assertThat(chunkIds).isSorted().doesNotHaveDuplicates();
        // The whole answer again, from its start, with the documented starting_after call, and the usage chunk asked for again.
        StringBuilder full = new StringBuilder();
        try (SseClient c = SseClient.get(other.url() + "/v1/chat/completions/" + id + "?starting_after=-1&include_usage=true", Map.of())) {
            List<SseClient.Event> all = c.until(e -> e.data().equals("[DONE]"));
            all.remove(all.size() - 1);
            JsonNode usage = all.remove(all.size() - 1).json();
            assertThat(usage.path("choices").size()).isZero();
            assertThat(usage.path("usage").path("completion_tokens").asInt()).isPositive();
            assertThat(all).noneMatch(e -> e.json().has("usage") && !e.json().path("usage").isNull());
            assertThat(all.get(0).json().path("choices").path(0).path("delta").path("role").asText()).isEqualTo("assistant");
            all.forEach(e -> full.append(e.json().path("choices").path(0).path("delta").path("content").asText("")));
            assertThat(all.get(all.size() - 1).json().path("choices").path(0).path("finish_reason").asText()).isIn("stop", "length");
        }
        assertThat(text.toString()).isEqualTo(full.toString()).isNotBlank();
    }

    @Test
    void shouldEndAResumeAfterTheLastChunkWithDone() {
        String id = null;
        long finishId = -1;
        try (SseClient c = SseClient.request("POST", edge.url() + "/v1/chat/completions",
                Map.of("Content-Type", "application/json"), body("Resume me after the end", true), 0)) {
            for (SseClient.Event e : c.until(e -> e.data().equals("[DONE]"))) {
                if (!e.data().equals("[DONE]") && !e.json().path("choices").path(0).path("finish_reason").isNull()) {
                    id = e.json().path("id").asText();
                    finishId = Long.parseLong(e.id());
                }
            }
        }
        assertThat(finishId).isNotNegative();
        // The client has every chunk up to the one with finish_reason; only the end of the stream is left.
        try (SseClient c = SseClient.get(other.url() + "/v1/chat/completions/" + id, Map.of("Last-Event-ID", Long.toString(finishId)))) {
            assertThat(c.status()).isEqualTo(200);
            assertThat(c.until(e -> e.data().equals("[DONE]"))).extracting(SseClient.Event::data).containsExactly("[DONE]");
        }
        // Past the answer's end (a chunk id the client cannot have had) ends the same way, rather than waiting for an end behind it.
        for (long past : List.of(finishId + 1, finishId + 1000, 9007199254740991L)) {
            try (SseClient c = SseClient.get(other.url() + "/v1/chat/completions/" + id + "?starting_after=" + past, Map.of())) {
                assertThat(c.status()).isEqualTo(200);
                assertThat(c.until(e -> e.data().equals("[DONE]"))).as("after %d", past).extracting(SseClient.Event::data)
                        .containsExactly("[DONE]");
            }
        }
    }

    @Test
    void shouldStopFollowingTheRoomWhenTheClientLeaves() {
        try (EdgeServer fresh = EdgeFixture.start(namespaces, b -> b)) {
            var listeners = fresh.meters().find("roomcast.live.listeners").gauge();
            try (SseClient c = SseClient.request("POST", fresh.url() + "/v1/chat/completions",
                    Map.of("Content-Type", "application/json"), body("Leave early", true), 0)) {
                c.nextNamed("message");
                assertThat(listeners.value()).isEqualTo(1);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> listeners.value() == 0);
        }
    }

    /**
     * An answer being followed is a connection: the edge's per-address limit bounds how many one
     * client holds. The prompts here wait (the edge's namespaces have no model producer) until the
     * test writes their answers into the room, as a producer would.
     */
    @Test
    void shouldCountFollowedAnswersAgainstTheConnectionLimits() throws Exception {
        Namespaces own = EdgeFixture.isolatedNamespaces();
        try (EdgeServer limited = EdgeFixture.start(own, b -> b.maxConnectionsPerIp(2)); EdgeServer reader = EdgeFixture.start(own);
             KafkaRoom kafka = new KafkaRoom(own)) {
            var answers = limited.meters().find("roomcast.openai.answers").gauge();
            URI url = URI.create(limited.url());
            byte[] body = body("Wait for me", true);
            List<RoomName> rooms = List.of(RoomName.of("chat:" + TestNames.unique("held")), RoomName.of("chat:" + TestNames.unique("held")));
            List<Socket> held = new ArrayList<>();
            try {
                for (RoomName room : rooms) {
                    Socket s = new Socket(url.getHost(), url.getPort());
                    held.add(s);
                    s.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                            + "\r\nContent-Type: application/json\r\nX-Roomcast-Room: " + room + "\r\nContent-Length: " + body.length
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().write(body);
                    s.getOutputStream().flush();
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> answers.value() == 2);
                try (SseClient third = SseClient.request("POST", limited.url() + "/v1/chat/completions",
                        Map.of("Content-Type", "application/json"), body, 0)) {
                    assertThat(third.status()).isEqualTo(503);
                    assertThat(third.errorBody()).contains("too many connections");
                }

                answer(reader, kafka, own, rooms.get(0));
                await().atMost(Duration.ofSeconds(30)).until(() -> answers.value() == 1);
                try (WsClient ws = WsClient.connect(limited.wsUrl())) {
                    ws.send("{\"op\":\"ping\",\"id\":1}");
                    assertThat(ws.nextOp("pong").path("id").asInt()).as("the answered request's place is free again").isEqualTo(1);
                }
                answer(reader, kafka, own, rooms.get(1));
                await().atMost(Duration.ofSeconds(30)).until(() -> answers.value() == 0);
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    /**
     * A client that hangs up while its prompt waits for an answer (none comes: the edge's namespaces have no model
     * producer) frees its place at once, streamed or not, instead of when the 90 s wait for a first event ends. A request
     * pipelined behind a waiting one is answered after it.
     */
    @Test
    void shouldFreeThePlaceOfAClientThatHangsUpWhileWaiting() throws Exception {
        Namespaces own = EdgeFixture.isolatedNamespaces();
        try (EdgeServer quiet = EdgeFixture.start(own); EdgeServer reader = EdgeFixture.start(own); KafkaRoom kafka = new KafkaRoom(own)) {
            var answers = quiet.meters().find("roomcast.openai.answers").gauge();
            URI url = URI.create(quiet.url());
            for (boolean stream : new boolean[] {true, false}) {
                try (Socket s = new Socket(url.getHost(), url.getPort())) {
                    s.getOutputStream().write(post(url, RoomName.of("chat:" + TestNames.unique("gone")), body("Hello?", stream)));
                    s.getOutputStream().flush();
                    await().atMost(Duration.ofSeconds(30)).until(() -> answers.value() == 1);
                }
                long closed = System.nanoTime();
                await().atMost(Duration.ofSeconds(30)).until(() -> answers.value() == 0);
                assertThat(Duration.ofNanos(System.nanoTime() - closed)).as("stream %s", stream).isLessThan(Duration.ofSeconds(10));
            }

            RoomName room = RoomName.of("chat:" + TestNames.unique("piped"));
            try (Socket s = new Socket(url.getHost(), url.getPort())) {
                s.getOutputStream().write(post(url, room, body("First", false)));
                s.getOutputStream().flush();
                await().atMost(Duration.ofSeconds(30)).until(() -> answers.value() == 1);
                s.getOutputStream().write(("GET /healthz HTTP/1.1\r\nHost: " + url.getHost() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                answer(reader, kafka, own, room);
                s.setSoTimeout(30_000);
                String both = readUntil(s.getInputStream(), 2);
                assertThat(both.split("HTTP/1.1 200 ", -1)).as(both).hasSize(3);
                assertThat(both).contains("chat.completion");
                assertThat(both.indexOf("chat.completion")).as("the answer first, then the pipelined request's")
                        .isLessThan(both.lastIndexOf("HTTP/1.1"));
            }
        }
    }

    private static byte[] post(URI url, RoomName room, byte[] body) {
        byte[] head = ("POST /v1/chat/completions HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                + "\r\nContent-Type: application/json\r\nX-Roomcast-Room: " + room + "\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** Reads until {@code responses} status lines have come and the input has paused after the last. */
    private static String readUntil(java.io.InputStream in, int responses) throws java.io.IOException {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[8192];
        while (text.toString().split("HTTP/1.1 ", -1).length - 1 < responses || !text.toString().trim().endsWith("}")) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
        return text.toString();
    }

    /** Writes a whole (empty) answer to the room's prompt into Kafka, as a model producer would; {@code edge} finds the prompt. */
    private static void answer(EdgeServer edge, KafkaRoom kafka, Namespaces own, RoomName room) {
        long prompt;
        try (WsClient c = WsClient.connect(edge.wsUrl())) {
            c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"from\":\"earliest\"}");
            prompt = c.nextOp("event").path("offset").asLong();
        }
        String generation = "{\"generationId\":\"" + own.of(room).topic() + ":" + RoomPartitioner.partition(room, 4) + ":" + prompt + "\"";
        kafka.write(room, "generation.started", (generation + "}").getBytes(StandardCharsets.UTF_8), null);
        kafka.write(room, "generation.done", (generation + ",\"finishReason\":\"stop\"}").getBytes(StandardCharsets.UTF_8), null);
    }

    /**
     * A whole ({@code stream: false}) answer is held up to a bound: tokens written by any producer of
     * the room beyond it are cut, and the answer ends with {@code finish_reason: length}.
     */
    @Test
    void shouldCutAWholeAnswerAtItsBoundAndSaySo() throws Exception {
        Namespaces own = EdgeFixture.isolatedNamespaces();
        try (EdgeServer quiet = EdgeFixture.start(own, b -> b); KafkaRoom kafka = new KafkaRoom(own)) {
            RoomName room = RoomName.of("chat:" + TestNames.unique("long"));
            var answer = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create(quiet.url() + "/v1/chat/completions"))
                    .header("Content-Type", "application/json").header("X-Roomcast-Room", room.value())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body("Say a lot", false))).build(), HttpResponse.BodyHandlers.ofString());
            long prompt;
            try (WsClient c = WsClient.connect(quiet.wsUrl())) {
                c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"from\":\"earliest\"}");
                prompt = c.nextOp("event").path("offset").asLong();
            }
            String generation = "\"generationId\":\"" + own.of(room).topic() + ":" + RoomPartitioner.partition(room, 4) + ":" + prompt + "\"";
            int half = (1 << 20) / 2 + 1_000;
            kafka.write(room, "generation.started", ("{" + generation + "}").getBytes(StandardCharsets.UTF_8), null);
            kafka.write(room, "token", ("{" + generation + ",\"seq\":0,\"text\":\"" + "a".repeat(half) + "\"}").getBytes(StandardCharsets.UTF_8), null);
            kafka.write(room, "token", ("{" + generation + ",\"seq\":1,\"text\":\"" + "b".repeat(half) + "\"}").getBytes(StandardCharsets.UTF_8), null);
            kafka.write(room, "generation.done", ("{" + generation + ",\"finishReason\":\"stop\"}").getBytes(StandardCharsets.UTF_8), null);

            HttpResponse<String> r = answer.get(60, TimeUnit.SECONDS);
            assertThat(r.statusCode()).as(r.body().substring(0, Math.min(300, r.body().length()))).isEqualTo(200);
            JsonNode choice = JSON.readTree(r.body()).path("choices").path(0);
            assertThat(choice.path("finish_reason").asText()).isEqualTo("length");
            String content = choice.path("message").path("content").asText();
            assertThat(content).hasSize(1 << 20).startsWith("a".repeat(half)).endsWith("b");
        }
    }

    @Test
    void shouldHonourTheEdgesPublishRateLimit() {
        try (EdgeServer limited = EdgeFixture.start(namespaces, b -> b.publishesPerSecond(1))) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                try (SseClient c = SseClient.request("POST", limited.url() + "/v1/chat/completions",
                        Map.of("Content-Type", "application/json"), body("Rate me", false), 0)) {
                    statuses.add(c.status());
                    if (c.status() == 429) {
                        assertThat(c.errorJson().path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
                        assertThat(c.errorJson().path("error").path("type").asText()).isEqualTo("rate_limit_error");
                    } else {
                        assertThat(c.header("content-type")).isEqualTo("application/json");
                    }
                }
            }
            assertThat(statuses).contains(200, 429);
        }
    }

    @Test
    void shouldRefuseGarbageWithOpenAiErrors() throws IOException {
        Map<String, byte[]> cases = Map.of(
                "not json", "hello".getBytes(StandardCharsets.UTF_8),
                "trailing garbage", "{\"model\":\"sim\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} trailing"
                        .getBytes(StandardCharsets.UTF_8),
                "no model", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}".getBytes(StandardCharsets.UTF_8),
                "bad role", "{\"model\":\"sim\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}".getBytes(StandardCharsets.UTF_8),
                "n=2", "{\"model\":\"sim\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}".getBytes(StandardCharsets.UTF_8),
                "stream not boolean", "{\"model\":\"sim\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"
                        .getBytes(StandardCharsets.UTF_8),
                "invalid utf-8", new byte[]{'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
        for (var c : cases.entrySet()) {
            try (SseClient r = SseClient.request("POST", edge.url() + "/v1/chat/completions", Map.of("Content-Type", "application/json"),
                    c.getValue(), 0)) {
                assertThat(r.status()).as(c.getKey()).isEqualTo(400);
                assertThat(r.errorJson().path("error").path("type").asText()).as(c.getKey()).isEqualTo("invalid_request_error");
            }
        }
        try (SseClient r = SseClient.get(edge.url() + "/v1/chat/completions/chatcmpl-garbage", Map.of())) {
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.errorJson().path("error").path("code").asText()).isEqualTo("completion_not_found");
        }
        try (SseClient r = SseClient.get(edge.url() + "/v1/chat/completions", Map.of())) {
            assertThat(r.status()).isEqualTo(405);
        }
    }

    /** Asserts {@code r} is an OpenAI-shaped JSON error with this status, type, code and param (null for none). */
    private static JsonNode assertOpenAiError(SseClient r, int status, String code, String param) {
        assertThat(r.status()).as(r.errorBody()).isEqualTo(status);
        assertThat(r.header("content-type")).isEqualTo("application/json");
        JsonNode error = r.errorJson().path("error");
        assertThat(r.errorJson().size()).as(r.errorBody()).isEqualTo(1);
        assertThat(error.path("type").asText()).as(r.errorBody()).isEqualTo("invalid_request_error");
        assertThat(error.path("code").asText()).as(r.errorBody()).isEqualTo(code);
        if (param == null) {
            assertThat(error.path("param").isNull()).as(r.errorBody()).isTrue();
        } else {
            assertThat(error.path("param").asText()).as(r.errorBody()).isEqualTo(param);
        }
        assertThat(error.path("message").asText()).as(r.errorBody()).isNotBlank();
        return error;
    }

    /** The id of a streamed answer on {@code edge}, read from its first chunk (the connection is then dropped). */
    private static String streamedCompletionId(String prompt) {
        try (SseClient c = SseClient.request("POST", edge.url() + "/v1/chat/completions",
                Map.of("Content-Type", "application/json"), body(prompt, true), 0)) {
            assertThat(c.status()).isEqualTo(200);
            return c.nextNamed("message").json().path("id").asText();
        }
    }

    /** The whole answer to {@code id} again, from its start: the text of its chunks, which end with a finish reason. */
    private static String wholeAnswer(String id) {
        try (SseClient c = SseClient.get(other.url() + "/v1/chat/completions/" + id + "?starting_after=-1", Map.of())) {
            assertThat(c.status()).isEqualTo(200);
            List<SseClient.Event> all = c.until(e -> e.data().equals("[DONE]"));
            all.remove(all.size() - 1);
            assertThat(all.get(all.size() - 1).json().path("choices").path(0).path("finish_reason").asText()).isIn("stop", "length");
            StringBuilder text = new StringBuilder();
            all.forEach(e -> text.append(e.json().path("choices").path(0).path("delta").path("content").asText("")));
            return text.toString();
        }
    }

    @Test
    void shouldRefuseAGarbageStartingAfterWith400NamingIt() {
        String id = streamedCompletionId("Resume me with garbage");
        Map<String, Map<String, String>> cases = new java.util.LinkedHashMap<>();
        for (String q : List.of("abc", "1.5", "0x10", "99999999999999999999", "%00", "1;2", "--1", "9007199254740992", "-2")) {
            cases.put("?starting_after=" + q, Map.of());
        }
        for (String h : List.of("x", "chat:lobby~e~41", "1 2", "9223372036854775808")) {
            cases.put("|Last-Event-ID: " + h, Map.of("Last-Event-ID", h));
        }
        // The header wins over the parameter (documented as alternatives): a garbage header is refused even next to a good one.
        cases.put("?starting_after=3|Last-Event-ID: x", Map.of("Last-Event-ID", "x"));
        for (var c : cases.entrySet()) {
            String query = c.getKey().startsWith("?") ? c.getKey().split("\\|")[0] : "";
            try (SseClient r = SseClient.get(edge.url() + "/v1/chat/completions/" + id + query, c.getValue())) {
                JsonNode error = assertOpenAiError(r, 400, "invalid_request", "starting_after");
                assertThat(error.path("message").asText()).as(c.getKey()).isEqualTo("starting_after must be the integer id of a chunk.");
            }
        }
        for (String q : List.of("yes", "1", "", "TRUE")) {
            try (SseClient r = SseClient.get(edge.url() + "/v1/chat/completions/" + id + "?starting_after=-1&include_usage=" + q, Map.of())) {
                assertThat(assertOpenAiError(r, 400, "invalid_request", "include_usage").path("message").asText())
                        .as(q).isEqualTo("include_usage must be true or false.");
            }
        }
        // Nothing lost: the same answer is still there, whole, for a well-formed resume.
        assertThat(wholeAnswer(id)).isNotBlank();
    }

    @Test
    void shouldAnswerAGarbageCompletionIdWith404CompletionNotFound() {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String chatRoom = "chat:" + TestNames.unique("oai-gone");
        List<String> garbage = List.of(
                "garbage",                                                                  // no chatcmpl- prefix
                "chatcmpl-",                                                                // nothing after it
                "chatcmpl-garbage",                                                         // not base64 of JSON
                "chatcmpl-!!!!",                                                            // not base64 at all
                "chatcmpl-" + b64.encodeToString("[1,2]".getBytes(StandardCharsets.UTF_8)), // JSON, not an object
                "chatcmpl-" + b64.encodeToString("{\"r\":\"no room\",\"e\":\"e\",\"p\":1}".getBytes(StandardCharsets.UTF_8)),
                "chatcmpl-" + b64.encodeToString(("{\"r\":\"" + chatRoom + "\",\"e\":\"e\",\"p\":\"x\"}").getBytes(StandardCharsets.UTF_8)),
                "chatcmpl-x/y/z",                                                           // more path
                "chatcmpl-" + "A".repeat(3000));                                            // over 2048 characters
        for (String id : garbage) {
            try (SseClient r = SseClient.get(edge.url() + "/v1/chat/completions/" + id + "?starting_after=abc", Map.of())) {
                JsonNode error = assertOpenAiError(r, 404, "completion_not_found", null);
                // The id is checked before starting_after; the message names the problem and clips what it quotes.
                assertThat(error.path("message").asText()).as(id).startsWith("not a completion id of this service: ").hasSizeLessThan(120);
            }
        }
        // Well-formed, but of a room history that does not exist (another epoch): found out on the room, still a 404.
        String otherEpoch = "chatcmpl-" + b64.encodeToString(("{\"r\":\"" + chatRoom + "\",\"e\":\"not-this-epoch\",\"p\":0,\"m\":\"sim\"}")
                .getBytes(StandardCharsets.UTF_8));
        try (SseClient r = SseClient.get(edge.url() + "/v1/chat/completions/" + otherEpoch, Map.of())) {
            assertThat(assertOpenAiError(r, 404, "completion_not_found", null).path("message").asText()).contains("re-created");
        }
        // Nothing lost: a real answer still resumes.
        assertThat(wholeAnswer(streamedCompletionId("Still there after garbage ids?"))).isNotBlank();
    }

    @Test
    void shouldRefuseAChunkedBodyOverTheLimitWith413InOpenAisShape() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int max = edge.config().maxFrameBytes();
        // The excess is in a field the endpoint ignores, so only the body limit can refuse it (not the prompt's size).
        byte[] tooLarge = ("{\"model\":\"sim\",\"padding\":\"" + "a".repeat(16 * max) + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(edge.url() + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(tooLarge))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(413);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode error = JSON.readTree(refused.body());
        assertThat(error.size()).isEqualTo(1);
        assertThat(error.path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("error").path("code").asText()).isEqualTo("request_too_large");
        assertThat(error.path("error").path("param").isNull()).isTrue();
        assertThat(error.path("error").path("message").asText()).isEqualTo("The request is larger than " + max + " bytes.");

        // Nothing lost: a chunked body under the limit is answered as usual, on a fresh connection.
        byte[] small = body("Chunked but small", false);
        HttpResponse<String> answered = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(URI.create(edge.url() + "/v1/chat/completions"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(small))).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        JsonNode completion = JSON.readTree(answered.body());
        assertThat(completion.path("object").asText()).isEqualTo("chat.completion");
        assertThat(completion.path("choices").path(0).path("message").path("content").asText()).isNotBlank();
    }
}
