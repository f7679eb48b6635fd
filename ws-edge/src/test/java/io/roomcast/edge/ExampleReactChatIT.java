package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * examples/react-chat, installed from the client's {@code npm pack} tarball and built with esbuild, in headless
 * Chromium against a real edge on Kafka: two people chat, one asks the model, and this test plays the model by writing
 * the generation records into Kafka; both pages and a late joiner show the answer. Needs Debian's chromium and
 * {@code npm ci} in client-js (.ci/run does both); the example's own install uses npm's cache.
 */
class ExampleReactChatIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldChatAndStreamTheModelsAnswerInTheReactExample() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "Debian chromium is not installed");
        assumeTrue(Files.isDirectory(ROOT.resolve("client-js/node_modules/react")), "run npm ci in client-js first");

        Namespaces namespaces = EdgeFixture.isolatedNamespaces();
        RoomName room = RoomName.of("chat:" + TestNames.unique("react"));
        EdgeServer edge = EdgeFixture.start(namespaces);
        Process node = null;
        try (KafkaRoom kafka = new KafkaRoom(namespaces)) {
            ProcessBuilder pb = new ProcessBuilder("node", "examples/react-chat/test/run.mjs").directory(ROOT.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("ROOMCAST_URL", edge.url());
            pb.environment().put("ROOMCAST_ROOM", room.value());
            node = pb.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
            Writer in = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);

            JsonNode prompt = JSON.readTree(out.readLine());
            assertThat(prompt.path("event").asText()).as(prompt.toString()).isEqualTo("prompt");
            long promptOffset = prompt.get("offset").asLong();
            String id = "roomcast.chat:0:" + promptOffset;
            write(kafka, room, "generation.started", "{\"generationId\":\"" + id + "\",\"promptOffset\":" + promptOffset + ",\"model\":\"sim\"}");
            String[] tokens = {"A partition", " is an", " ordered log."};
            for (int seq = 0; seq < tokens.length; seq++) {
                write(kafka, room, "token", "{\"generationId\":\"" + id + "\",\"seq\":" + seq + ",\"text\":\"" + tokens[seq] + "\"}");
            }
            write(kafka, room, "generation.done", "{\"generationId\":\"" + id + "\",\"finishReason\":\"stop\",\"usage\":{\"promptTokens\":4,\"completionTokens\":3},\"durationMs\":9}");
            in.write("written\n");
            in.flush();

            JsonNode result = JSON.readTree(out.readLine());
            assertThat(result.path("ok").asBoolean()).as(result.toString()).isTrue();
        } finally {
            if (node != null) {
                node.destroyForcibly();
            }
            edge.close();
        }
    }

    private static void write(KafkaRoom kafka, RoomName room, String type, String json) {
        kafka.write(room, type, json.getBytes(StandardCharsets.UTF_8), null);
    }
}
