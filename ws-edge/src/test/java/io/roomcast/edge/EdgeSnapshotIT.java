package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.edge.snapshot.SnapshotConfig;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code from:"snapshot"}: the room's newest snapshot (written by a plain Kafka producer), then
 * exactly the events after its offset; {@code earliest} when the room has no usable snapshot.
 */
class EdgeSnapshotIT {
    private static final String TOPIC = TestNames.unique("t") + ".snapshots";
    @RegisterExtension
    static final SharedEdge SHARED = SharedEdge.with(b -> b.snapshots(SnapshotConfig.ofDefaults().withTopic(TOPIC)));

    private static void snapshot(RoomName room, String value) {
        // the test broker creates no topics on its own: the edge creates it, as on a first lookup
        SHARED.edge().backbone().topics().ensure(SHARED.edge().config().snapshots().sideTopic());
        SHARED.kafka().write(TOPIC, room.keyBytes(), null, value == null ? null : value.getBytes(StandardCharsets.UTF_8), null);
    }

    private static List<JsonNode> subscribeFromSnapshot(WsClient c, RoomName room) {
        c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"from\":\"snapshot\"}");
        return c.until(f -> f.path("op").asText().equals("live"));
    }

    @Test
    void shouldDeliverTheNewestSnapshotThenExactlyTheEventsAfterIt() {
        RoomName room = RoomName.of("chat:counter-" + TestNames.unique());
        List<Long> offsets = SHARED.kafka().messages(room, 10);
        snapshot(room, "{\"offset\":" + offsets.get(2) + ",\"data\":{\"count\":3}}");
        snapshot(room, "{\"offset\":" + offsets.get(5) + ",\"data\":{\"count\":6}}");
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            List<JsonNode> frames = subscribeFromSnapshot(c, room);
            JsonNode snapshot = frames.get(0);
            assertThat(snapshot.path("op").asText()).isEqualTo("snapshot");
            assertThat(snapshot.path("id").asInt()).isEqualTo(1);
            assertThat(snapshot.path("offset").asLong()).isEqualTo(offsets.get(5));
            assertThat(snapshot.path("data").path("count").asInt()).isEqualTo(6);
            JsonNode subscribed = frames.get(1);
            assertThat(subscribed.path("op").asText()).isEqualTo("subscribed");
            assertThat(subscribed.path("recovered").asBoolean()).isTrue();
            assertThat(snapshot.path("epoch").asText()).isEqualTo(subscribed.path("epoch").asText());
            assertThat(frames.subList(2, frames.size() - 1)).extracting(f -> f.path("offset").asLong())
                    .containsExactlyElementsOf(offsets.subList(6, 10));
            long next = SHARED.kafka().json(room, "{\"n\":10}");
            assertThat(c.nextOp("event").path("offset").asLong()).isEqualTo(next);
        }
    }

    @Test
    void shouldFallBackToEarliestWithoutAUsableSnapshot() {
        RoomName none = RoomName.of("chat:no-snapshot-" + TestNames.unique());
        RoomName garbage = RoomName.of("chat:garbage-" + TestNames.unique());
        RoomName deleted = RoomName.of("chat:deleted-" + TestNames.unique());
        RoomName beyond = RoomName.of("chat:beyond-" + TestNames.unique());
        for (RoomName room : List.of(none, garbage, deleted, beyond)) {
            List<Long> offsets = SHARED.kafka().messages(room, 3);
            if (room.equals(garbage)) {
                snapshot(room, "{\"offset\":" + offsets.get(1) + ",\"data\":{\"ok\":true}}");
                snapshot(room, "this is not a snapshot");
            } else if (room.equals(deleted)) {
                snapshot(room, "{\"offset\":" + offsets.get(1) + ",\"data\":{\"ok\":true}}");
                snapshot(room, null); // a tombstone: the room's snapshot was deleted
            } else if (room.equals(beyond)) {
                // A long, but past any position a client can name (2^53 - 1): the subscription once hung after the snapshot frame.
                snapshot(room, "{\"offset\":9007199254740993,\"data\":{}}");
            }
            try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
                List<JsonNode> frames = subscribeFromSnapshot(c, room);
                assertThat(frames).as(room.value()).noneMatch(f -> f.path("op").asText().equals("snapshot"));
                assertThat(frames.get(0).path("recovered").asBoolean()).isTrue();
                assertThat(frames).filteredOn(f -> f.path("op").asText().equals("event")).extracting(f -> f.path("offset").asLong())
                        .containsExactlyElementsOf(offsets);
            }
        }
    }

    /** A stranger's transactional writer (Kafka Streams with exactly-once, say) whose transaction aborted: its snapshot never existed. */
    @Test
    void shouldNeverServeASnapshotOfAnAbortedTransaction() {
        RoomName room = RoomName.of("chat:aborted-" + TestNames.unique());
        List<Long> offsets = SHARED.kafka().messages(room, 4);
        snapshot(room, "{\"offset\":" + offsets.get(1) + ",\"data\":{\"count\":2}}");
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, TestNames.unique("snapshot-txn"));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, room.keyBytes(),
                    ("{\"offset\":" + offsets.get(3) + ",\"data\":{\"count\":4}}").getBytes(StandardCharsets.UTF_8)));
            producer.flush();
            producer.abortTransaction();
        }
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            List<JsonNode> frames = subscribeFromSnapshot(c, room);
            JsonNode snapshot = frames.get(0);
            assertThat(snapshot.path("op").asText()).isEqualTo("snapshot");
            assertThat(snapshot.path("offset").asLong()).isEqualTo(offsets.get(1));
            assertThat(snapshot.path("data").path("count").asInt()).isEqualTo(2);
            assertThat(frames.subList(2, frames.size() - 1)).extracting(f -> f.path("offset").asLong())
                    .containsExactlyElementsOf(offsets.subList(2, 4));
        }
    }

    @Test
    void shouldReportAGapForASnapshotOfAnotherEpoch() {
        RoomName room = RoomName.of("chat:old-epoch-" + TestNames.unique());
        List<Long> offsets = SHARED.kafka().messages(room, 3);
        snapshot(room, "{\"offset\":" + offsets.get(0) + ",\"epoch\":\"AAAAAAAAAAAAAAAAAAAAAA.4\",\"data\":{}}");
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            List<JsonNode> frames = subscribeFromSnapshot(c, room);
            JsonNode subscribed = frames.get(1);
            assertThat(subscribed.path("recovered").asBoolean()).isFalse();
            assertThat(subscribed.path("gap").path("reason").asText()).isEqualTo("epoch");
        }
    }
}
