package io.roomcast.live;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roomcast.event.RecordLayout;
import io.roomcast.event.RoomEvent;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The live tail against a real broker: the hand-over offset, in-order dispatch of exactly what follows it, the cache. */
class LiveTailIT {

    @Test
    void shouldDispatchExactlyTheEventsFromTheHandOverOffsetAndCacheThem() throws Exception {
        String topic = TestNames.unique("live");
        TopicPartition tp = new TopicPartition(topic, 0);
        RoomName room = RoomName.of("chat:live");
        RoomName other = RoomName.of("chat:other");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
             LiveTail tail = new LiveTail(TestKafka.bootstrapServers(), Map.of(), 10, Long.MAX_VALUE, new SimpleMeterRegistry())) {
            byte[] data = "{}".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 5; i++) {
                producer.send(RecordLayout.toRecord(topic, room, "message", data, null)).get();
            }
            List<RoomEvent> received = new CopyOnWriteArrayList<>();
            AtomicLong hookOffset = new AtomicLong(-1);
            Handover first = tail.register(room, tp, 100, received::add, hookOffset::set).get();
            assertThat(first.offset()).isEqualTo(5).isEqualTo(hookOffset.get());
            assertThat(first.cached()).isEmpty();
            assertThat(first.cacheCoversFrom()).isEqualTo(5);

            List<Long> written = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                producer.send(RecordLayout.toRecord(topic, other, "message", data, null)).get();
                written.add(producer.send(RecordLayout.toRecord(topic, room, "message", data, null)).get().offset());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 10);
            assertThat(received).extracting(RoomEvent::offset).containsExactlyElementsOf(written);

            Handover second = tail.register(room, tp, 100, e -> { }, o -> { }).get();
            assertThat(second.offset()).isEqualTo(tail.position(tp));
            assertThat(second.cached()).extracting(RoomEvent::offset).containsExactlyElementsOf(written);
            assertThat(second.cacheCoversFrom()).isEqualTo(5);
        }
    }

    @Test
    void shouldTellItsListenersOnceWhenThePartitionIsRecreatedAndTailTheNewLogAfterwards() throws Exception {
        String topic = TestNames.unique("recreated");
        TopicPartition tp = new TopicPartition(topic, 0);
        RoomName room = RoomName.of("chat:recreated");
        byte[] data = "{}".getBytes(StandardCharsets.UTF_8);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
             var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
                     new ByteArraySerializer(), new ByteArraySerializer());
             LiveTail tail = new LiveTail(TestKafka.bootstrapServers(), Map.of(), 10, Long.MAX_VALUE, new SimpleMeterRegistry())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            List<RoomEvent> received = new CopyOnWriteArrayList<>();
            List<String> lost = new CopyOnWriteArrayList<>();
            LiveListener listener = new LiveListener() {
                @Override
                public void onLive(RoomEvent event) {
                    received.add(event);
                }

                @Override
                public void onLiveLost(String reason) {
                    lost.add(reason);
                }
            };
            tail.register(room, tp, 100, listener, o -> { }).get();
            for (int i = 0; i < 10; i++) {
                producer.send(RecordLayout.toRecord(topic, room, "message", data, null)).get();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 10);

            admin.deleteTopics(List.of(topic)).all().get();
            await().atMost(Duration.ofSeconds(60)).until(() -> !admin.listTopics().names().get().contains(topic));
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            producer.send(RecordLayout.toRecord(topic, room, "message", data, null)).get();

            await().atMost(Duration.ofSeconds(30)).until(() -> !lost.isEmpty());
            assertThat(lost).hasSize(1);
            assertThat(lost.get(0)).contains(tp.toString());
            assertThat(tail.position(tp)).as("no longer tailed").isEqualTo(-1);
            assertThat(received).hasSize(10); // nothing of the new log reached the old listener
            assertThat(tail.isRunning()).isTrue();

            // a new registration tails the new log from its end
            List<RoomEvent> fresh = new CopyOnWriteArrayList<>();
            Handover h = tail.register(room, tp, 100, fresh::add, o -> { }).get();
            assertThat(h.offset()).isEqualTo(1);
            long next = producer.send(RecordLayout.toRecord(topic, room, "message", data, null)).get().offset();
            await().atMost(Duration.ofSeconds(30)).until(() -> fresh.size() == 1);
            assertThat(fresh.get(0).offset()).isEqualTo(next);
        }
    }
}
