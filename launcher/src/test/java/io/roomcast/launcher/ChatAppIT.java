package io.roomcast.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.client.ClientOptions;
import io.roomcast.client.From;
import io.roomcast.client.RoomEvent;
import io.roomcast.client.RoomcastClient;
import io.roomcast.edge.EdgeConfig;
import io.roomcast.edge.EdgeServer;
import io.roomcast.producer.ModelProducer;
import io.roomcast.producer.ModelProducerConfig;
import io.roomcast.producer.sim.SimSettings;
import io.roomcast.room.Namespace;
import io.roomcast.room.Namespaces;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
            try (RoomcastClient reader = RoomcastClient.connect(URI.create(edge.wsUrl()), ClientOptions.ofDefaults())) {
                Recorder room0 = new Recorder();
                reader.subscribe(room, From.earliest(), room0);
                await().atMost(Duration.ofSeconds(30)).until(() -> room0.live);
                for (JsonNode answer : answers) {
                    String generationId = answer.path("generationId").asText();
                    TreeMap<Integer, String> tokens = new TreeMap<>();
                    for (RoomEvent e : room0.events) {
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
    }
}
