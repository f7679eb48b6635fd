package io.roomcast.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.client.ClientOptions;
import io.roomcast.client.From;
import io.roomcast.client.RoomEvent;
import io.roomcast.client.RoomcastClient;
import io.roomcast.edge.EdgeConfig;
import io.roomcast.edge.EdgeServer;
import io.roomcast.kafka.embedded.FreePort;
import io.roomcast.producer.ModelProducer;
import io.roomcast.producer.ModelProducerConfig;
import io.roomcast.producer.sim.SimSettings;
import io.roomcast.room.Namespace;
import io.roomcast.room.Namespaces;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chat app in headless Chromium (client-js/test/apps/chat.mjs) on a real edge, Kafka and
 * simulated model: two people in one room, a prompt streams to both, Stop from the other cancels
 * it, a reload rebuilds the conversation, one page at phone width. Each answer the pages show is
 * then compared with the room's tokens read back over the Java client: every token exactly once.
 */
class ChatAppIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldStreamStopAndRebuildAnswersInTwoBrowserPages() throws Exception {
        AppBrowser.assumeBrowser();
        String prefix = TestNames.unique("t") + ".";
        Namespaces namespaces = Namespaces.of(
                new Namespace("chat", prefix + "chat", 4, Duration.ofDays(1), 1000),
                new Namespace("logs", prefix + "logs", 1, Duration.ofDays(1), 1000));
        String room = "chat:" + TestNames.unique("app");
        String bootstrap = TestKafka.bootstrapServers();
        // Slow enough that Stop lands while the first answer streams (40-60 words, ~0.1 s each).
        SimSettings sim = SimSettings.defaults().withDelay(Duration.ofMillis(80), Duration.ofMillis(120)).withWords(40, 60);
        try (EdgeServer edge = EdgeServer.start(EdgeConfig.builder(bootstrap).host("127.0.0.1").port(0).namespaces(namespaces).build());
             ModelProducer producer = ModelProducer.start(ModelProducerConfig.builder(bootstrap)
                     .namespaceTopics(Map.of("chat", prefix + "chat")).partitions(4).sim(sim)
                     .logs(prefix + "logs", "logs:model-producer", false).groupId(TestNames.unique("group")).build())) {
            producer.awaitAssignment(Duration.ofSeconds(60));

            JsonNode result = AppBrowser.run("chat.mjs", Map.of("ROOMCAST_URL", edge.url(), "ROOMCAST_ROOM", room, "PHONE", "1"), 240);

            // The room directory learned the room from the publishes and offers it to the apps.
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(30)).until(() -> http.send(HttpRequest.newBuilder(URI.create(edge.url() + "/rooms?namespace=chat")).build(),
                    HttpResponse.BodyHandlers.ofString()).body().contains("\"room\":\"" + room + "\""));

            JsonNode answers = result.path("answers");
            assertThat(answers.size()).isEqualTo(2);
            assertThat(answers.get(0).path("state").asText()).isEqualTo("cancelled");
            assertThat(answers.get(1).path("state").asText()).isEqualTo("done");
            for (JsonNode answer : answers) {
                assertEveryTokenOnce(edge, room, answer);
            }
        }
    }

    @Test
    void shouldCompleteAStreamingAnswerAcrossAnEdgeRestartWithEveryTokenOnce() throws Exception {
        AppBrowser.assumeBrowser();
        String prefix = TestNames.unique("t") + ".";
        Namespaces namespaces = Namespaces.of(
                new Namespace("chat", prefix + "chat", 4, Duration.ofDays(1), 1000),
                new Namespace("logs", prefix + "logs", 1, Duration.ofDays(1), 1000));
        String room = "chat:" + TestNames.unique("restart");
        String bootstrap = TestKafka.bootstrapServers();
        // Long enough (40-60 words, 150-200 ms each) to be streaming through the restart.
        SimSettings sim = SimSettings.defaults().withDelay(Duration.ofMillis(150), Duration.ofMillis(200)).withWords(40, 60);
        int port = FreePort.find();
        EdgeConfig config = EdgeConfig.builder(bootstrap).host("127.0.0.1").port(port).namespaces(namespaces).build();
        EdgeServer edge = EdgeServer.start(config);
        Process node = null;
        try (ModelProducer producer = ModelProducer.start(ModelProducerConfig.builder(bootstrap)
                .namespaceTopics(Map.of("chat", prefix + "chat")).partitions(4).sim(sim)
                .logs(prefix + "logs", "logs:model-producer", false).groupId(TestNames.unique("group")).build())) {
            producer.awaitAssignment(Duration.ofSeconds(60));
            node = AppBrowser.start("chat-reconnect.mjs", Map.of("ROOMCAST_URL", edge.url(), "ROOMCAST_ROOM", room));
            BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
            Writer in = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);
            assertThat(out.readLine()).contains("streaming");
            edge.close();
            in.write("stopped\n");
            in.flush();
            assertThat(out.readLine()).contains("reconnecting");
            edge = EdgeServer.start(config);
            in.write("started\n");
            in.close();
            String last = null;
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                last = line;
            }
            JsonNode result = JSON.readTree(last);
            assertThat(result.path("ok").asBoolean()).as(result.toString()).isTrue();
            assertEveryTokenOnce(edge, room, result.path("answer"));
        } finally {
            if (node != null) {
                node.destroyForcibly();
            }
            edge.close();
        }
    }

    /** The answer the page shows is exactly the room's tokens of its generation, each once, in seq order. */
    private static void assertEveryTokenOnce(EdgeServer edge, String room, JsonNode answer) throws Exception {
        try (RoomcastClient reader = RoomcastClient.connect(URI.create(edge.wsUrl()), ClientOptions.ofDefaults())) {
            Recorder seen = new Recorder();
            reader.subscribe(room, From.earliest(), seen);
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.live);
            String generationId = answer.path("generationId").asText();
            TreeMap<Integer, String> tokens = new TreeMap<>();
            for (RoomEvent e : seen.events) {
                if (e.type().equals("token") && e.data().path("generationId").asText().equals(generationId)) {
                    assertThat(tokens.put(e.data().path("seq").asInt(), e.data().path("text").asText())).isNull();
                }
            }
            assertThat(tokens).isNotEmpty();
            assertThat(answer.path("text").asText()).as(generationId).isEqualTo(String.join("", tokens.values()));
            assertThat(answer.path("tokens").asInt()).isEqualTo(tokens.size());
        }
    }
}
