package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.kafka.embedded.FreePort;
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
 * Chromium's own {@code EventSource} on {@code /sse}: the edge is killed while events keep coming
 * and started again; the browser reconnects by itself with {@code Last-Event-ID} and the page sees
 * every event exactly once, in order. Needs Debian's chromium and {@code npm ci} in ws-edge/src/test/js.
 */
class EdgeSseBrowserIT {
    private static final Path JS = Path.of("src", "test", "js").toAbsolutePath();

    @Test
    void shouldResumeWithLastEventIdAcrossAnEdgeRestart() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "Debian chromium is not installed");
        assumeTrue(Files.isDirectory(JS.resolve("node_modules/playwright-core")), "run npm ci in ws-edge/src/test/js first");

        Namespaces namespaces = EdgeFixture.isolatedNamespaces();
        RoomName room = RoomName.of("chat:" + TestNames.unique("eventsource"));
        int port = FreePort.find();
        EdgeServer edge = EdgeFixture.start(namespaces, b -> b.port(port));
        try (KafkaRoom kafka = new KafkaRoom(namespaces)) {
            List<Long> published = new ArrayList<>(kafka.messages(room, 50));
            try (NodeScript page = NodeScript.start(JS, "eventsource.mjs", Map.of("ROOMCAST_URL", edge.url(),
                    "ROOMCAST_SSE_QUERY", "room=" + room.value() + "&from=earliest"))) {
                published.addAll(kafka.messages(room, 50));
                assertThat(page.command("wait-count 100 60000").path("ok").asBoolean()).isTrue();

                edge.close();
                published.addAll(kafka.messages(room, 100)); // events keep coming while the edge is down
                edge = EdgeFixture.start(namespaces, b -> b.port(port));
                published.addAll(kafka.messages(room, 100));

                assertThat(page.command("wait-opens 2 60000").path("ok").asBoolean()).isTrue();
                JsonNode waited = page.command("wait-count 300 60000");
                assertThat(waited.path("ok").asBoolean()).as(waited.toString()).isTrue();
                JsonNode dump = page.command("dump");
                List<Long> seen = new ArrayList<>();
                dump.path("offsets").forEach(o -> seen.add(o.asLong()));
                assertThat(seen).containsExactlyElementsOf(published);
                assertThat(dump.path("ids").get(seen.size() - 1).asText()).endsWith("~" + published.get(published.size() - 1));
                List<String> named = new ArrayList<>();
                dump.path("named").forEach(n -> named.add(n.asText()));
                assertThat(named).doesNotContain("gap");
                assertThat(named.stream().filter("subscribed"::equals).count()).isGreaterThanOrEqualTo(2);
            }
        } finally {
            edge.close();
        }
    }
}
