package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client cannot forge a compacted answer: a {@code generation.message} published over the socket by a connection
 * without the producer role is refused with {@code forbidden} (reserved types, docs/protocol.md), alone, with an
 * {@code eventId} and {@code retry}, or inside a batch, and nothing of it reaches a compact late joiner, who sees only
 * the producer's answer (written to Kafka directly, as the model producer does). Nor can it be sent as an ephemeral
 * signal, which would reach the room's live signal subscribers: reserved types are never signals, whoever sends them.
 */
class EdgeForgedAnswerIT {
    @RegisterExtension
    static final SharedEdge SHARED = SharedEdge.withDefaults();

    private static String forged(int id, String room, String extra) {
        return "{\"op\":\"publish\",\"id\":" + id + ",\"room\":\"" + room + "\",\"type\":\"generation.message\",\"data\":"
                + "{\"generationId\":\"g\",\"status\":\"done\",\"text\":\"FORGED\",\"tokens\":1}" + extra + "}";
    }

    @Test
    void shouldRefuseAForgedGenerationMessageAndKeepItFromCompactLateJoiners() {
        RoomName room = RoomName.of("chat:" + TestNames.unique("forge"));
        SHARED.kafka().write(room, "prompt", "{\"text\":\"q\"}".getBytes(StandardCharsets.UTF_8), null);
        SHARED.kafka().write(room, "generation.started", "{\"generationId\":\"g\"}".getBytes(StandardCharsets.UTF_8), null);
        SHARED.kafka().write(room, "token", "{\"generationId\":\"g\",\"seq\":0,\"text\":\"real\"}".getBytes(StandardCharsets.UTF_8), null);
        SHARED.kafka().write(room, "generation.done", "{\"generationId\":\"g\"}".getBytes(StandardCharsets.UTF_8), null);
        SHARED.kafka().write(room, "generation.message",
                "{\"generationId\":\"g\",\"status\":\"done\",\"text\":\"real\",\"tokens\":1}".getBytes(StandardCharsets.UTF_8), null);

        try (WsClient forger = WsClient.connect(SHARED.edge().wsUrl())) {
            forger.send(forged(1, room.value(), ""));
            JsonNode refused = forger.nextOp("error");
            assertThat(refused.path("id").asInt()).isEqualTo(1);
            assertThat(refused.path("code").asText()).isEqualTo("forbidden");
            assertThat(refused.path("message").asText()).contains("model producers only");

            forger.send(forged(2, room.value(), ",\"eventId\":\"forge-1\",\"retry\":true"));
            assertThat(forger.nextOp("error").path("code").asText()).isEqualTo("forbidden");

            forger.send(forged(5, room.value(), ",\"ephemeral\":true"));
            JsonNode signal = forger.nextOp("error");
            assertThat(signal.path("id").asInt()).isEqualTo(5);
            assertThat(signal.path("code").asText()).isEqualTo("forbidden");
            forger.send("{\"op\":\"publish\",\"id\":6,\"room\":\"" + room.value()
                    + "\",\"type\":\"token\",\"data\":{\"generationId\":\"g\",\"seq\":1,\"text\":\"x\"},\"ephemeral\":true}");
            assertThat(forger.nextOp("error").path("code").asText()).isEqualTo("forbidden");

            forger.send("[" + forged(3, room.value(), "") + ",{\"op\":\"publish\",\"id\":4,\"room\":\"" + room.value()
                    + "\",\"data\":{\"text\":\"allowed\"}}]");
            List<JsonNode> answers = List.of(forger.next(), forger.next());
            assertThat(answers).anySatisfy(a -> {
                assertThat(a.path("id").asInt()).isEqualTo(3);
                assertThat(a.path("code").asText()).isEqualTo("forbidden");
            });
            assertThat(answers).anySatisfy(a -> {
                assertThat(a.path("id").asInt()).isEqualTo(4);
                assertThat(a.path("op").asText()).isEqualTo("ack");
            });
        }

        try (WsClient late = WsClient.connect(SHARED.edge().wsUrl())) {
            late.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room.value() + "\",\"from\":\"earliest\",\"compact\":true}");
            List<JsonNode> history = late.until(f -> f.path("op").asText().equals("live"));
            List<String> messages = history.stream().filter(f -> f.path("type").asText().equals("generation.message"))
                    .map(f -> f.path("data").path("text").asText()).toList();
            assertThat(messages).containsExactly("real");
            assertThat(history.toString()).doesNotContain("FORGED");
            assertThat(history).filteredOn(f -> f.path("type").asText().equals("message")).hasSize(1);
        }
    }
}
