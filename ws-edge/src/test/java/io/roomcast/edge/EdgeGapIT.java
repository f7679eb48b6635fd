package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.room.RoomPartitioner;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Positions that cannot be resumed get recovered:false with a gap that says why — never a silent reset. */
class EdgeGapIT {
    @RegisterExtension
    static final SharedEdge SHARED = SharedEdge.withDefaults();

    private static String epochOf(EdgeServer server, RoomName room) {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\"}");
            return c.nextOp("subscribed").path("epoch").asText();
        }
    }

    private static JsonNode resume(WsClient c, RoomName room, long after, String epoch) {
        c.send("{\"op\":\"subscribe\",\"id\":9,\"room\":\"" + room + "\",\"from\":{\"after\":" + after + ",\"epoch\":\"" + epoch + "\"}}");
        return c.nextOp("subscribed");
    }

    @Test
    void shouldReportAnEpochGapAndRedeliverTheCurrentHistory() {
        RoomName room = RoomName.of("chat:" + TestNames.unique("epoch"));
        List<Long> offsets = SHARED.kafka().messages(room, 5);
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            JsonNode subscribed = resume(c, room, offsets.get(2), "some-other-epoch.4");

            assertThat(subscribed.path("recovered").asBoolean()).isFalse();
            assertThat(subscribed.path("gap").path("reason").asText()).isEqualTo("epoch");
            assertThat(subscribed.path("gap").path("after").asLong()).isEqualTo(offsets.get(2));
            assertThat(subscribed.path("gap").path("resumeAt").asLong()).isZero();
            assertThat(c.events(5)).extracting(e -> e.path("offset").asLong()).containsExactlyElementsOf(offsets);
        }
    }

    @Test
    void shouldReportARetentionGapWhenTheHistoryWasDeleted() throws Exception {
        // Namespaces of its own: deleting records moves the log start of every room in the partition.
        Namespaces own = EdgeFixture.isolatedNamespaces();
        RoomName room = RoomName.of("chat:" + TestNames.unique("retention"));
        List<Long> offsets;
        String epoch;
        try (EdgeServer first = EdgeFixture.start(own); KafkaRoom ownKafka = new KafkaRoom(own)) {
            offsets = ownKafka.messages(room, 20);
            epoch = epochOf(first, room);
        }
        TopicPartition tp = new TopicPartition(own.of(room).topic(), RoomPartitioner.partition(room, 4));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(offsets.get(10)))).all().get();
        }
        // a new edge, whose cache cannot hide the deletion
        try (EdgeServer fresh = EdgeFixture.start(own); WsClient c = WsClient.connect(fresh.wsUrl())) {
            JsonNode subscribed = resume(c, room, offsets.get(2), epoch);

            assertThat(subscribed.path("recovered").asBoolean()).isFalse();
            assertThat(subscribed.path("gap").path("reason").asText()).isEqualTo("retention");
            assertThat(subscribed.path("gap").path("after").asLong()).isEqualTo(offsets.get(2));
            assertThat(subscribed.path("gap").path("resumeAt").asLong()).isEqualTo(offsets.get(10));
            assertThat(c.events(10)).extracting(e -> e.path("offset").asLong()).containsExactlyElementsOf(offsets.subList(10, 20));
        }
    }

    @Test
    void shouldEndALiveSubscriptionWhenItsTopicIsRecreatedAndReportTheEpochGapOnResume() throws Exception {
        Namespaces own = EdgeFixture.isolatedNamespaces();
        RoomName room = RoomName.of("chat:" + TestNames.unique("recreated"));
        String topic = own.of(room).topic();
        try (EdgeServer edge = EdgeFixture.start(own); KafkaRoom ownKafka = new KafkaRoom(own);
             WsClient c = WsClient.connect(edge.wsUrl());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\"}");
            String oldEpoch = c.nextOp("subscribed").path("epoch").asText();
            c.nextOp("live");
            List<Long> before = ownKafka.messages(room, 5);
            assertThat(c.events(5)).extracting(e -> e.path("offset").asLong()).containsExactlyElementsOf(before);

            admin.deleteTopics(List.of(topic)).all().get();
            await().atMost(Duration.ofSeconds(60)).until(() -> !admin.listTopics().names().get().contains(topic));
            admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get();
            List<Long> after = ownKafka.messages(room, 3);

            // the live subscription is ended explicitly, never left silently waiting above the new offsets
            JsonNode ended = c.nextOp("error");
            assertThat(ended.has("id")).as("a notice about the room, not an answer").isFalse();
            assertThat(ended.path("room").asText()).isEqualTo(room.value());
            assertThat(ended.path("code").asText()).isEqualTo("unavailable");

            JsonNode resumed = resume(c, room, before.get(4), oldEpoch);
            assertThat(resumed.path("recovered").asBoolean()).isFalse();
            assertThat(resumed.path("gap").path("reason").asText()).isEqualTo("epoch");
            assertThat(resumed.path("epoch").asText()).isNotEqualTo(oldEpoch);
            assertThat(c.events(3)).extracting(e -> e.path("offset").asLong()).containsExactlyElementsOf(after);
        }
    }

    @Test
    void shouldEndALiveSubscriptionWhenPartitionsAreAddedAndReportTheEpochGapOnResume() throws Exception {
        Namespaces own = EdgeFixture.isolatedNamespaces();
        RoomName room = RoomName.of("chat:" + TestNames.unique("grown"));
        String topic = own.of(room).topic();
        try (EdgeServer edge = EdgeFixture.start(own, b -> b.topicCacheTtl(Duration.ofMillis(500)));
             WsClient c = WsClient.connect(edge.wsUrl());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\"}");
            String oldEpoch = c.nextOp("subscribed").path("epoch").asText();
            c.nextOp("live");

            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(8))).all().get();

            JsonNode ended = c.nextOp("error");
            assertThat(ended.has("id")).isFalse();
            assertThat(ended.path("room").asText()).isEqualTo(room.value());
            assertThat(ended.path("code").asText()).isEqualTo("unavailable");
            JsonNode resumed = resume(c, room, 0, oldEpoch);
            assertThat(resumed.path("recovered").asBoolean()).isFalse();
            assertThat(resumed.path("gap").path("reason").asText()).isEqualTo("epoch");
            assertThat(resumed.path("epoch").asText()).isNotEqualTo(oldEpoch).endsWith(".8");
        }
    }

    @Test
    void shouldReportAPositionBeyondTheEndAsUnknown() {
        RoomName room = RoomName.of("chat:" + TestNames.unique("ahead"));
        SHARED.kafka().messages(room, 3);
        String epoch = epochOf(SHARED.edge(), room);
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            JsonNode subscribed = resume(c, room, 1_000_000_000L, epoch);

            assertThat(subscribed.path("recovered").asBoolean()).isFalse();
            assertThat(subscribed.path("gap").path("reason").asText()).isEqualTo("unknown_position");
            assertThat(c.next().path("op").asText()).isEqualTo("live");
        }
    }
}
