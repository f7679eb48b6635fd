package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The JavaScript client as a compact late joiner on a real edge and Kafka ({@code client-js/test/edge/late-joiner.mjs}):
 * a finished answer arrives as its one {@code generation.message} (none of its tokens), and the answer that streams
 * while the client subscribes — its tokens written concurrently with the subscribe — is rebuilt from the partial and
 * the live tokens with no seq missing and none twice, equal to the producer's final text. Its own signal reaches it
 * without an offset.
 */
class JsCompactLateJoinerIT {
    private static final Path CLIENT_JS = Path.of("..", "client-js").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TOKENS = 1500;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String token(int seq) {
        return "t" + seq + " ";
    }

    @Test
    void shouldRebuildEveryAnswerExactlyWithTokensWrittenDuringTheSubscribe() throws Exception {
        assumeTrue(Files.isDirectory(CLIENT_JS.resolve("node_modules/ws")), "run npm ci in client-js first");
        Namespaces namespaces = EdgeFixture.isolatedNamespaces();
        RoomName room = RoomName.of("chat:" + TestNames.unique("late-js"));
        String g1 = "g1";
        String g2 = "g2";
        try (EdgeServer edge = EdgeFixture.start(namespaces); KafkaRoom kafka = new KafkaRoom(namespaces)) {
            StringBuilder first = new StringBuilder();
            kafka.write(room, "prompt", bytes("{\"text\":\"one?\"}"), null);
            kafka.write(room, "generation.started", bytes("{\"generationId\":\"" + g1 + "\"}"), null);
            for (int seq = 0; seq < 20; seq++) {
                kafka.write(room, "token", bytes("{\"generationId\":\"" + g1 + "\",\"seq\":" + seq + ",\"text\":\"" + token(seq) + "\"}"), null);
                first.append(token(seq));
            }
            kafka.write(room, "generation.done", bytes("{\"generationId\":\"" + g1 + "\"}"), null);
            kafka.write(room, "generation.message", bytes("{\"generationId\":\"" + g1 + "\",\"status\":\"done\",\"text\":\"" + first
                    + "\",\"tokens\":20}"), null);
            kafka.write(room, "prompt", bytes("{\"text\":\"two?\"}"), null);
            kafka.write(room, "generation.started", bytes("{\"generationId\":\"" + g2 + "\"}"), null);
            StringBuilder second = new StringBuilder();
            for (int seq = 0; seq < TOKENS; seq++) {
                second.append(token(seq));
            }
            for (int seq = 0; seq < 10; seq++) {
                kafka.write(room, "token", bytes("{\"generationId\":\"" + g2 + "\",\"seq\":" + seq + ",\"text\":\"" + token(seq) + "\"}"), null);
            }
            // the rest of the answer's tokens are written while the client connects, the edge reads the history and
            // hands over to live: the boundary falls somewhere inside the token stream. The answer ends only once the
            // client is live, so the edge's history read cannot find it finished (which would leave out every token).
            Thread writer = new Thread(() -> {
                for (int seq = 10; seq < TOKENS; seq++) {
                    kafka.write(room, "token", bytes("{\"generationId\":\"" + g2 + "\",\"seq\":" + seq + ",\"text\":\"" + token(seq) + "\"}"), null);
                }
            }, "token-writer");

            ProcessBuilder pb = new ProcessBuilder("node", "test/edge/late-joiner.mjs").directory(CLIENT_JS.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().put("ROOMCAST_URL", edge.url());
            pb.environment().put("ROOMCAST_ROOM", room.value());
            pb.environment().put("GENERATION", g2);
            Process node = pb.start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(JSON.readTree(out.readLine()).path("op").asText()).isEqualTo("subscribing");
                writer.start();
                assertThat(JSON.readTree(out.readLine()).path("op").asText()).isEqualTo("live");
                writer.join();
                kafka.write(room, "generation.done", bytes("{\"generationId\":\"" + g2 + "\"}"), null);
                kafka.write(room, "generation.message", bytes("{\"generationId\":\"" + g2 + "\",\"status\":\"done\",\"text\":\"" + second
                        + "\",\"tokens\":" + TOKENS + "}"), null);
                String line = out.readLine();
                assertThat(line).as("the client's result").isNotNull();
                JsonNode result = JSON.readTree(line);
                assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();

                assertThat(result.path("ordered").asBoolean()).isTrue();
                JsonNode one = result.path("answers").path(g1);
                assertThat(one.path("message").asText()).isEqualTo(first.toString());
                assertThat(one.path("tokens").asInt()).as("a finished answer's tokens are left out").isZero();
                JsonNode two = result.path("answers").path(g2);
                assertThat(two.path("streamed").asText()).as("partial, then live tokens").isEqualTo(second.toString());
                assertThat(two.path("duplicates").asInt()).isZero();
                assertThat(two.path("missing").asInt()).isZero();
                assertThat(two.path("message").asText()).isEqualTo(second.toString());
                assertThat(result.path("signals").toString()).isIn("[]", "[{\"type\":\"cursor\",\"offset\":null}]");
            } finally {
                node.destroyForcibly();
            }
        }
    }
}
