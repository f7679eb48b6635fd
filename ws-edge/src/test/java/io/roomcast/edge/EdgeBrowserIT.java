package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.kafka.embedded.FreePort;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The JavaScript client in real headless Chromium against a real edge: the edge is killed while
 * events keep coming and started again; the page reconnects with backoff and shows every event
 * exactly once, in order. Needs Debian's chromium and {@code npm ci} in client-js (.ci/run does both).
 */
class EdgeBrowserIT {
    private static final Path CLIENT_JS = Path.of("..", "client-js").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldShowEveryEventOnceInOrderAcrossAnEdgeRestart() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "Debian chromium is not installed");
        assumeTrue(Files.isDirectory(CLIENT_JS.resolve("node_modules/playwright-core")), "run npm ci in client-js first");

        Namespaces namespaces = EdgeFixture.isolatedNamespaces();
        RoomName room = RoomName.of("chat:" + TestNames.unique("browser"));
        int port = FreePort.find();
        EdgeServer edge = EdgeFixture.start(namespaces, b -> b.port(port));
        Process node = null;
        try (KafkaRoom kafka = new KafkaRoom(namespaces)) {
            ProcessBuilder pb = new ProcessBuilder("node", "test/browser/reconnect.mjs").directory(CLIENT_JS.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("ROOMCAST_URL", edge.url());
            pb.environment().put("ROOMCAST_ROOM", room.value());
            pb.environment().put("ROOMCAST_FROM", "earliest");
            pb.environment().put("ROOMCAST_BACKOFF_MAX_MS", "2000");
            node = pb.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
            Writer in = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);
            JsonNode ready = JSON.readTree(out.readLine());
            assertThat(ready.path("ok").asBoolean()).as("page ready: " + ready).isTrue();

            List<Long> published = new ArrayList<>(kafka.messages(room, 100));
            assertThat(command(in, out, "wait-count 100 60000").path("ok").asBoolean()).isTrue();

            edge.close();
            published.addAll(kafka.messages(room, 100)); // events keep coming while the edge is down
            assertThat(command(in, out, "wait-state reconnecting 30000").path("ok").asBoolean()).isTrue();
            edge = EdgeFixture.start(namespaces, b -> b.port(port));
            published.addAll(kafka.messages(room, 100));

            assertThat(command(in, out, "wait-count 300 90000").path("ok").asBoolean()).isTrue();
            JsonNode dump = command(in, out, "dump");
            List<Long> seen = new ArrayList<>();
            dump.path("offsets").forEach(o -> seen.add(o.asLong()));
            assertThat(seen).containsExactlyElementsOf(published);
            assertThat(dump.path("duplicates").asInt()).isZero();
            assertThat(dump.path("outOfOrder").asInt()).isZero();
            assertThat(dump.path("gaps").size()).isZero();
            command(in, out, "quit");
        } finally {
            if (node != null) {
                node.destroyForcibly();
            }
            edge.close();
        }
    }

    private static JsonNode command(Writer in, BufferedReader out, String command) throws Exception {
        in.write(command + "\n");
        in.flush();
        String line = out.readLine();
        assertThat(line).as("answer to " + command).isNotNull();
        return JSON.readTree(line);
    }
}
