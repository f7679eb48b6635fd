package io.roomcast.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.edge.EdgeConfig;
import io.roomcast.edge.EdgeServer;
import io.roomcast.room.Namespaces;
import io.roomcast.shipper.LogShipper;
import io.roomcast.shipper.ShipperConfig;
import io.roomcast.shipper.SourceConfig;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A WebSocket subscriber of a log room sees the shipped lines live, one event per record. */
class ShipperRoomIT {

    @Test
    void shouldShowShippedLinesLiveToAWebSocketSubscriber(@TempDir Path dir) throws Exception {
        String bootstrap = TestKafka.bootstrapServers();
        String room = "logs:" + TestNames.unique("app");
        Path log = dir.resolve("app.log");
        Files.writeString(log, "");
        LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        ObjectMapper json = new ObjectMapper();
        try (EdgeServer edge = EdgeServer.start(EdgeConfig.builder(bootstrap).host("127.0.0.1").port(0)
                .namespaces(Namespaces.ofDefaults()).build());
             LogShipper shipper = LogShipper.start(ShipperConfig.of(bootstrap, List.of(SourceConfig.file(log.toString(), room))))) {
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(edge.wsUrl()), new WebSocket.Listener() {
                private final StringBuilder message = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    message.append(data);
                    if (last) {
                        received(message.toString());
                        message.setLength(0);
                    }
                    w.request(1);
                    return null;
                }

                /** A message is one frame or, as the protocol allows, a batch of them (history, or live events queued together). */
                private void received(String text) {
                    try {
                        JsonNode node = json.readTree(text);
                        if (node.isArray()) {
                            node.forEach(frames::add);
                        } else {
                            frames.add(node);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }).join();
            ws.sendText("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"from\":\"earliest\"}", true).join();

            Files.writeString(log, "2026-11-24 10:00:00.123 ERROR [main] com.example.App - boom\n"
                    + "java.lang.IllegalStateException: boom\n\tat com.example.App.main(App.java:3)\n"
                    + "2026-11-24 10:00:01.000 INFO  [main] com.example.App - recovered\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

            JsonNode first = nextEvent(frames);
            JsonNode second = nextEvent(frames);
            assertThat(first.path("type").asText()).isEqualTo("log");
            assertThat(first.path("data").path("level").asText()).isEqualTo("ERROR");
            assertThat(first.path("data").toString()).contains("IllegalStateException").contains("App.java:3");
            assertThat(second.path("data").path("level").asText()).isEqualTo("INFO");
            assertThat(second.path("offset").asLong()).isGreaterThan(first.path("offset").asLong());
            ws.abort();
        }
    }

    private static JsonNode nextEvent(LinkedBlockingQueue<JsonNode> frames) throws InterruptedException {
        while (true) {
            JsonNode n = frames.poll(60, TimeUnit.SECONDS);
            assertThat(n).as("an event within 60 s").isNotNull();
            if (n.path("op").asText().equals("event")) {
                return n;
            }
        }
    }
}
