package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.edge.ephemeral.EphemeralConfig;
import io.roomcast.room.RoomName;
import io.roomcast.room.RoomPartitioner;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ephemeral signals on a real Kafka: delivered live to the subscribers that asked for them on any
 * edge, never to others, never in any replay; refused where the namespace disallows them, above
 * their size limit and their own rate limit.
 */
class EdgeEphemeralIT {
    @RegisterExtension
    static final SharedEdge SHARED = SharedEdge.with(b -> b.ephemeral(EphemeralConfig.ofDefaults()
            .withTopic(TestNames.unique("t") + ".ephemeral").withNamespaces(Set.of("chat")).withLimits(256, 5)));

    private static String room() {
        return "chat:eph-" + TestNames.unique();
    }

    private static WsClient subscribe(String room, String extra) {
        WsClient c = WsClient.connect(SHARED.edge().wsUrl());
        c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\"" + extra + "}");
        c.nextOp("subscribed");
        c.nextOp("live");
        return c;
    }

    @Test
    void shouldDeliverSignalsLiveOnlyToSubscribersThatAskedAndNeverReplayThem() throws InterruptedException {
        String room = room();
        try (WsClient wants = subscribe(room, ",\"ephemeral\":true");
             WsClient plain = subscribe(room, "");
             WsClient sender = WsClient.connect(SHARED.edge().wsUrl())) {
            // the first signal may race the subscriber's tail reaching the partition's end: publish until one arrives
            JsonNode signal = null;
            for (int i = 0; signal == null && i < 50; i++) {
                sender.send("{\"op\":\"publish\",\"id\":" + i + ",\"room\":\"" + room + "\",\"type\":\"typing\",\"data\":{\"who\":\"ann\"},\"ephemeral\":true}");
                JsonNode ack = sender.nextOp("ack");
                assertThat(ack.path("ephemeral").asBoolean()).isTrue();
                assertThat(ack.has("offset")).isFalse();
                signal = wants.poll(Duration.ofMillis(200));
            }
            assertThat(signal).isNotNull();
            assertThat(signal.path("op").asText()).isEqualTo("event");
            assertThat(signal.path("type").asText()).isEqualTo("typing");
            assertThat(signal.path("ephemeral").asBoolean()).isTrue();
            assertThat(signal.has("offset")).isFalse();
            assertThat(signal.path("client").asText()).isNotEmpty();
            assertThat(signal.path("data").path("who").asText()).isEqualTo("ann");

            sender.send("{\"op\":\"publish\",\"id\":\"m\",\"room\":\"" + room + "\",\"data\":{\"text\":\"stored\"}}");
            long stored = sender.nextOp("ack").path("offset").asLong();
            JsonNode event = plain.nextOp("event");
            assertThat(event.path("offset").asLong()).as("the plain subscriber sees only the stored event").isEqualTo(stored);
        }
        for (String from : List.of("\"earliest\"", "{\"last\":100}", "{\"time\":0}")) {
            try (WsClient late = WsClient.connect(SHARED.edge().wsUrl())) {
                late.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"from\":" + from + ",\"ephemeral\":true}");
                List<JsonNode> history = late.until(f -> f.path("op").asText().equals("live"));
                List<JsonNode> events = new ArrayList<>(history);
                events.removeIf(f -> !f.path("op").asText().equals("event"));
                assertThat(events).as("replay from " + from).hasSize(1).allMatch(e -> !e.has("ephemeral") && e.path("type").asText().equals("message"));
            }
        }
    }

    @Test
    void shouldRefuseSignalsWhereTheNamespaceDisallowsThemAndAboveTheirLimits() {
        String room = room();
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            c.send("{\"op\":\"publish\",\"id\":1,\"room\":\"logs:api\",\"data\":{},\"ephemeral\":true}");
            JsonNode forbidden = c.nextOp("error");
            assertThat(forbidden.path("code").asText()).isEqualTo("forbidden");
            assertThat(forbidden.path("message").asText()).contains("does not allow ephemeral");
            c.send("{\"op\":\"subscribe\",\"id\":2,\"room\":\"logs:api\",\"ephemeral\":true}");
            assertThat(c.nextOp("error").path("code").asText()).isEqualTo("forbidden");

            c.send("{\"op\":\"publish\",\"id\":3,\"room\":\"" + room + "\",\"data\":\"" + "x".repeat(300) + "\",\"ephemeral\":true}");
            assertThat(c.nextOp("error").path("code").asText()).isEqualTo("too_large");

            StringBuilder flood = new StringBuilder("[");
            for (int i = 0; i < 10; i++) {
                flood.append(i == 0 ? "" : ",").append("{\"op\":\"publish\",\"id\":").append(10 + i).append(",\"room\":\"").append(room)
                        .append("\",\"type\":\"cursor\",\"data\":{\"x\":").append(i).append("},\"ephemeral\":true}");
            }
            c.send(flood.append("]").toString());
            List<String> answers = new ArrayList<>();
            while (answers.size() < 10) {
                JsonNode f = c.next();
                if (f.path("op").asText().equals("ack")) {
                    answers.add("ack");
                } else if (f.path("op").asText().equals("error")) {
                    answers.add(f.path("code").asText());
                }
            }
            assertThat(answers).filteredOn("rate_limited"::equals).hasSizeGreaterThanOrEqualTo(4);
            assertThat(answers).filteredOn("ack"::equals).hasSizeLessThanOrEqualTo(6);
        }
    }

    /**
     * Records a stranger wrote to the ephemeral topic, in one batch: a header without a value, a
     * type and a client id no edge writes, a value that is not JSON. The readable ones arrive with
     * what can be trusted of them, the unreadable one is skipped, and nothing after it is lost.
     */
    @Test
    void shouldSkipAStrangersGarbageSignalsAndLoseNothingAfterThem() throws Exception {
        String room = room();
        String topic = SHARED.edge().config().ephemeral().topic();
        try (WsClient wants = subscribe(room, ",\"ephemeral\":true");
             WsClient sender = WsClient.connect(SHARED.edge().wsUrl());
             KafkaProducer<byte[], byte[]> stranger = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                     ProducerConfig.LINGER_MS_CONFIG, 100), new ByteArraySerializer(), new ByteArraySerializer())) {
            JsonNode probe = null;
            for (int i = 0; probe == null && i < 50; i++) {
                sender.send("{\"op\":\"publish\",\"id\":" + i + ",\"room\":\"" + room + "\",\"data\":{},\"ephemeral\":true}");
                sender.nextOp("ack");
                probe = wants.poll(Duration.ofMillis(200));
            }
            assertThat(probe).as("the subscriber's signals flow").isNotNull();
            while (wants.poll(Duration.ofMillis(300)) != null) {
                // the probes published while waiting for the first one
            }

            RoomName name = RoomName.of(room);
            int partition = RoomPartitioner.partition(name, stranger.partitionsFor(topic).size());
            byte[] notUtf8 = new byte[10_000];
            Arrays.fill(notUtf8, (byte) 0xC3);
            List<Header[]> headers = List.of(
                    new Header[]{new RecordHeader("type", null)},
                    new Header[]{new RecordHeader("type", notUtf8), new RecordHeader("client", null)},
                    new Header[]{new RecordHeader("type", "typing".getBytes(StandardCharsets.UTF_8))},
                    new Header[]{new RecordHeader("client", "two words".getBytes(StandardCharsets.UTF_8))},
                    new Header[]{new RecordHeader("type", "typing".getBytes(StandardCharsets.UTF_8)),
                            new RecordHeader("client", "e1.c7".getBytes(StandardCharsets.UTF_8))});
            List<String> values = List.of("{\"n\":1}", "{\"n\":2}", "not json", "{\"n\":4}", "{\"n\":5}");
            for (int i = 0; i < values.size(); i++) {
                stranger.send(new ProducerRecord<>(topic, partition, null, name.keyBytes(), values.get(i).getBytes(StandardCharsets.UTF_8),
                        List.of(headers.get(i))));
            }
            // Not one JSON value in UTF-8 within the protocol's depth, or a type no signal may have: skipped too.
            Header[] typing = {new RecordHeader("type", "typing".getBytes(StandardCharsets.UTF_8))};
            Header[] token = {new RecordHeader("type", "token".getBytes(StandardCharsets.UTF_8))};
            List<byte[]> garbage = List.of("{\"n\":90} junk".getBytes(StandardCharsets.UTF_8), "91 92".getBytes(StandardCharsets.UTF_8),
                    "{\"n\":93}".getBytes(StandardCharsets.UTF_16), ("[".repeat(200) + "]".repeat(200)).getBytes(StandardCharsets.UTF_8));
            for (byte[] value : garbage) {
                stranger.send(new ProducerRecord<>(topic, partition, null, name.keyBytes(), value, List.of(typing)));
            }
            stranger.send(new ProducerRecord<>(topic, partition, null, name.keyBytes(), "{\"n\":94}".getBytes(StandardCharsets.UTF_8),
                    List.of(token)));
            stranger.send(new ProducerRecord<>(topic, partition, null, name.keyBytes(), "{\"n\":6}".getBytes(StandardCharsets.UTF_8),
                    List.of(typing)));
            stranger.flush();

            List<JsonNode> signals = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                signals.add(wants.nextOp("event"));
            }
            assertThat(signals).extracting(s -> s.path("data").path("n").asInt()).containsExactly(1, 2, 4, 5, 6);
            assertThat(signals).extracting(s -> s.path("type").asText()).containsExactly("message", "message", "message", "typing", "typing");
            assertThat(signals).extracting(s -> s.path("client").asText(null)).containsExactly(null, null, null, "e1.c7", null);
            assertThat(signals).allMatch(s -> s.path("ephemeral").asBoolean());
        }
    }
}
