package io.roomcast.edge;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** SIGTERM's graceful drain: clients are told to reconnect, resume on another edge and lose nothing. */
class EdgeDrainIT {

    @Test
    void shouldLetClientsResumeElsewhereWithNothingLost() {
        Namespaces namespaces = EdgeFixture.isolatedNamespaces();
        RoomName room = RoomName.of("chat:" + TestNames.unique("drain"));
        try (KafkaRoom kafka = new KafkaRoom(namespaces);
             EdgeServer leaving = EdgeFixture.start(namespaces, b -> b.drainDelay(Duration.ofMillis(500)));
             EdgeServer staying = EdgeFixture.start(namespaces)) {
            List<Long> received = new ArrayList<>();
            String epoch;
            List<Long> published = new ArrayList<>(kafka.messages(room, 50));
            CompletableFuture<List<Long>> more;
            try (WsClient c = WsClient.connect(leaving.wsUrl())) {
                c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"from\":\"earliest\"}");
                epoch = c.nextOp("subscribed").path("epoch").asText();
                more = CompletableFuture.supplyAsync(() -> kafka.messages(room, 300));
                CompletableFuture.runAsync(() -> leaving.shutdownGracefully(Duration.ofSeconds(10)));
                JsonNode reconnect = null;
                while (reconnect == null) {
                    JsonNode n = c.next();
                    switch (n.path("op").asText()) {
                        case "event" -> received.add(n.path("offset").asLong());
                        case "reconnect" -> reconnect = n;
                        case "live" -> { }
                        default -> throw new AssertionError("unexpected " + n);
                    }
                }
                assertThat(reconnect.path("reason").asText()).isEqualTo("drain");
                assertThat(reconnect.path("delayMs").asLong()).isBetween(0L, 500L);
                assertThat(c.awaitClose()).isEqualTo(1001);
            }
            published.addAll(more.join());
            long after = received.isEmpty() ? -1 : received.get(received.size() - 1);
            try (WsClient c = WsClient.connect(staying.wsUrl())) {
                c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"from\":{\"after\":" + after + ",\"epoch\":\"" + epoch + "\"}}");
                assertThat(c.nextOp("subscribed").path("recovered").asBoolean()).isTrue();
                while (received.size() < published.size()) {
                    received.add(c.events(1).get(0).path("offset").asLong());
                }
            }
            assertThat(received).containsExactlyElementsOf(published);
        }
    }

    /**
     * Stopping right after the drain (its time-out reached) while the close frames are still being
     * written: an IO thread that is stopping refuses the close answer's timer, which must end the
     * connection at once instead of failing the IO task with an error in the log.
     */
    @Test
    void shouldStopWithoutAnErrorWhenTheDrainTimesOut() throws Throwable {
        Namespaces namespaces = EdgeFixture.isolatedNamespaces();
        RoomName room = RoomName.of("chat:" + TestNames.unique("stop"));
        List<WsClient> clients = new ArrayList<>();
        assertThat(errorsLoggedDuring(() -> {
            try (EdgeServer edge = EdgeFixture.start(namespaces)) {
                for (int i = 0; i < 40; i++) {
                    WsClient c = WsClient.connect(edge.wsUrl());
                    clients.add(c);
                    c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"from\":\"latest\"}");
                    c.nextOp("subscribed");
                }
                edge.shutdownGracefully(Duration.ZERO);
            } finally {
                clients.forEach(WsClient::close);
            }
        })).isEmpty();
    }

    /**
     * Stopping while OpenAI-style answers wait for a model that never answers, streamed and whole:
     * the answers end with the stop, and nothing the stop ends is logged as an error.
     */
    @Test
    void shouldStopWithoutAnErrorWhileCompletionsWait() throws Throwable {
        Namespaces namespaces = EdgeFixture.isolatedNamespaces();
        RoomName room = RoomName.of("chat:" + TestNames.unique("stop"));
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        assertThat(errorsLoggedDuring(() -> {
            try (EdgeServer edge = EdgeFixture.start(namespaces);
                 WsClient watcher = WsClient.connect(edge.wsUrl())) {
                watcher.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"from\":\"earliest\"}");
                watcher.nextOp("subscribed");
                for (int i = 0; i < 16; i++) {
                    String body = "{\"model\":\"sim\",\"stream\":" + (i % 2 == 0) + ",\"room\":\"" + room
                            + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
                    answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(edge.url() + "/v1/chat/completions"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
                }
                // Every prompt is in Kafka, so every answer follows the room, waiting for a model.
                assertThat(watcher.events(answers.size())).extracting(e -> e.path("type").asText()).containsOnly("prompt");
                edge.shutdownGracefully(Duration.ZERO);
                for (CompletableFuture<HttpResponse<String>> answer : answers) {
                    assertThat(answer).failsWithin(Duration.ofSeconds(30));
                }
            }
        })).isEmpty();
    }

    /** Runs {@code body} with the root logger recorded; returns what was logged at ERROR meanwhile. */
    private static List<String> errorsLoggedDuring(Executable body) throws Throwable {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        log.start();
        root.addAppender(log);
        try {
            body.execute();
        } finally {
            root.detachAppender(log);
        }
        return log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)).map(ILoggingEvent::getFormattedMessage).toList();
    }
}
