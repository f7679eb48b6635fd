package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.kafka.embedded.FreePort;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The JavaScript client in real headless Chromium against a real edge: the edge is killed while
 * events keep coming and started again; the page reconnects with backoff and shows every event
 * exactly once, in order. Needs Debian's chromium and {@code npm ci} in client-js (.ci/run does both).
 */
class EdgeBrowserIT {
    private static final Path CLIENT_JS = Path.of("..", "client-js").toAbsolutePath().normalize();

    @Test
    void shouldShowEveryEventOnceInOrderAcrossAnEdgeRestart() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "Debian chromium is not installed");
        assumeTrue(Files.isDirectory(CLIENT_JS.resolve("node_modules/playwright-core")), "run npm ci in client-js first");

        Namespaces namespaces = EdgeFixture.isolatedNamespaces();
        RoomName room = RoomName.of("chat:" + TestNames.unique("browser"));
        int port = FreePort.find();
        EdgeServer edge = EdgeFixture.start(namespaces, b -> b.port(port));
        try (KafkaRoom kafka = new KafkaRoom(namespaces);
             NodeScript page = NodeScript.start(CLIENT_JS, "test/browser/reconnect.mjs", Map.of("ROOMCAST_URL", edge.url(),
                     "ROOMCAST_ROOM", room.value(), "ROOMCAST_FROM", "earliest", "ROOMCAST_BACKOFF_MAX_MS", "2000"))) {

            List<Long> published = new ArrayList<>(kafka.messages(room, 100));
            assertThat(page.command("wait-count 100 60000").path("ok").asBoolean()).isTrue();

            edge.close();
            published.addAll(kafka.messages(room, 100)); // events keep coming while the edge is down
            assertThat(page.command("wait-state reconnecting 30000").path("ok").asBoolean()).isTrue();
            edge = EdgeFixture.start(namespaces, b -> b.port(port));
            published.addAll(kafka.messages(room, 100));

            assertThat(page.command("wait-count 300 90000").path("ok").asBoolean()).isTrue();
            JsonNode dump = page.command("dump");
            List<Long> seen = new ArrayList<>();
            dump.path("offsets").forEach(o -> seen.add(o.asLong()));
            assertThat(seen).containsExactlyElementsOf(published);
            assertThat(dump.path("duplicates").asInt()).isZero();
            assertThat(dump.path("outOfOrder").asInt()).isZero();
            assertThat(dump.path("gaps").size()).isZero();
            page.command("quit");
        } finally {
            edge.close();
        }
    }
}
