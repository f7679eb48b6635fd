package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.kafka.embedded.FreePort;
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
 * Chromium's own {@code EventSource} on {@code /sse}: the edge is killed while events keep coming
 * and started again; the browser reconnects by itself with {@code Last-Event-ID} and the page sees
 * every event exactly once, in order. Needs Debian's chromium and {@code npm ci} in ws-edge/src/test/js.
 */
class EdgeSseBrowserIT {
    private static final Path JS = Path.of("src", "test", "js").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldResumeWithLastEventIdAcrossAnEdgeRestart() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "Debian chromium is not installed");
        assumeTrue(Files.isDirectory(JS.resolve("node_modules/playwright-core")), "run npm ci in ws-edge/src/test/js first");

        Namespaces namespaces = EdgeFixture.isolatedNamespaces();
        RoomName room = RoomName.of("chat:" + TestNames.unique("eventsource"));
        int port = FreePort.find();
        EdgeServer edge = EdgeFixture.start(namespaces, b -> b.port(port));
        Process node = null;
        try (KafkaRoom kafka = new KafkaRoom(namespaces)) {
            List<Long> published = new ArrayList<>(kafka.messages(room, 50));
            ProcessBuilder pb = new ProcessBuilder("node", "eventsource.mjs").directory(JS.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("ROOMCAST_URL", edge.url());
            pb.environment().put("ROOMCAST_SSE_QUERY", "room=" + room.value() + "&from=earliest");
            node = pb.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
            Writer in = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);
            JsonNode ready = JSON.readTree(out.readLine());
            assertThat(ready.path("ok").asBoolean()).as("page ready: " + ready).isTrue();

            published.addAll(kafka.messages(room, 50));
            assertThat(command(in, out, "wait-count 100 60000").path("ok").asBoolean()).isTrue();

            edge.close();
            published.addAll(kafka.messages(room, 100)); // events keep coming while the edge is down
            edge = EdgeFixture.start(namespaces, b -> b.port(port));
            published.addAll(kafka.messages(room, 100));

            assertThat(command(in, out, "wait-opens 2 60000").path("ok").asBoolean()).isTrue();
            JsonNode waited = command(in, out, "wait-count 300 60000");
            assertThat(waited.path("ok").asBoolean()).as(waited.toString()).isTrue();
            JsonNode dump = command(in, out, "dump");
            List<Long> seen = new ArrayList<>();
            dump.path("offsets").forEach(o -> seen.add(o.asLong()));
            assertThat(seen).containsExactlyElementsOf(published);
            assertThat(dump.path("ids").get(seen.size() - 1).asText()).endsWith("~" + published.get(published.size() - 1));
            List<String> named = new ArrayList<>();
            dump.path("named").forEach(n -> named.add(n.asText()));
            assertThat(named).doesNotContain("gap");
            assertThat(named.stream().filter("subscribed"::equals).count()).isGreaterThanOrEqualTo(2);
            in.write("quit\n");
            in.flush();
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
