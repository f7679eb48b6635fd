package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The late joiner of docs/benchmarks.md: a room holding 50 answers of 500 tokens each, read from
 * {@code earliest} in full and compacted. Asserts what compaction is for — the same conversation in
 * a fraction of the bytes — and logs bytes and time until {@code live} (no speed assertion).
 */
class EdgeCompactLateJoinerIT {
    private static final Logger log = LoggerFactory.getLogger(EdgeCompactLateJoinerIT.class);
    private static final int ANSWERS = 50;
    private static final int TOKENS = 500;

    @RegisterExtension
    static final SharedEdge SHARED = SharedEdge.withDefaults();

    private record Reading(long chars, long millis, int frames, Map<String, String> answers) {
    }

    @Test
    void shouldShowTheSameConversationInAFractionOfTheBytes() {
        RoomName room = RoomName.of("chat:late-" + TestNames.unique());
        Map<String, String> written = writeConversation(room);
        // warm-up: the first read of a room pays for class loading and the partition's first fetch
        read(room, ",\"compact\":true");
        Reading full = read(room, "");
        Reading compact = read(room, ",\"compact\":true");
        log.atInfo().addKeyValue("fullBytes", full.chars).addKeyValue("fullMs", full.millis).addKeyValue("fullFrames", full.frames)
                .addKeyValue("compactBytes", compact.chars).addKeyValue("compactMs", compact.millis)
                .addKeyValue("compactFrames", compact.frames).log("late joiner, 50 answers x 500 tokens");
        assertThat(full.answers).isEqualTo(written);
        assertThat(compact.answers).isEqualTo(written);
        assertThat(compact.chars).isLessThan(full.chars / 4);
    }

    private static Map<String, String> writeConversation(RoomName room) {
        Map<String, String> answers = new HashMap<>();
        String topic = SHARED.namespaces().of(room).topic();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestKafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int a = 0; a < ANSWERS; a++) {
                String gen = "roomcast.chat:0:" + a;
                send(producer, topic, room, "prompt", "{\"text\":\"question number " + a + "\"}");
                send(producer, topic, room, "generation.started", "{\"generationId\":\"" + gen + "\",\"model\":\"sim\"}");
                StringBuilder text = new StringBuilder();
                for (int seq = 0; seq < TOKENS; seq++) {
                    String token = (seq % 9 == 0 ? " partition" : seq % 5 == 0 ? " offsets" : " the") + (seq % 13 == 0 ? "." : "");
                    send(producer, topic, room, "token", "{\"generationId\":\"" + gen + "\",\"seq\":" + seq + ",\"text\":\"" + token + "\"}");
                    text.append(token);
                }
                send(producer, topic, room, "generation.done", "{\"generationId\":\"" + gen + "\",\"finishReason\":\"stop\"}");
                send(producer, topic, room, "generation.message", "{\"generationId\":\"" + gen + "\",\"status\":\"done\",\"text\":\""
                        + text + "\",\"tokens\":" + TOKENS + "}");
                answers.put(gen, text.toString());
            }
            producer.flush();
        }
        return answers;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, RoomName room, String type, String json) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("type", type.getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(topic, null, null, room.keyBytes(), json.getBytes(StandardCharsets.UTF_8), headers));
    }

    private static Reading read(RoomName room, String options) {
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            long start = System.nanoTime();
            c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"from\":\"earliest\"" + options + "}");
            List<JsonNode> frames = c.until(f -> f.path("op").asText().equals("live"));
            long millis = (System.nanoTime() - start) / 1_000_000;
            Map<String, StringBuilder> texts = new HashMap<>();
            Map<String, String> finals = new HashMap<>();
            for (JsonNode f : frames) {
                JsonNode data = f.path("data");
                switch (f.path("type").asText()) {
                    case "token" -> texts.computeIfAbsent(data.path("generationId").asText(), g -> new StringBuilder())
                            .append(data.path("text").asText());
                    case "generation.message" -> finals.put(data.path("generationId").asText(), data.path("text").asText());
                    default -> {
                    }
                }
            }
            Map<String, String> answers = new HashMap<>();
            // a client shows the message when it has one, else the tokens
            texts.forEach((g, t) -> answers.put(g, t.toString()));
            answers.putAll(finals);
            return new Reading(c.receivedChars(), millis, frames.size(), answers);
        }
    }
}
