package io.roomcast.side;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A side tail against a real broker: a record its sink cannot take is skipped and counted, and the rest of that poll still arrives. */
class SideTailIT {

    @Test
    void shouldSkipARecordItsSinkCannotTakeAndDeliverTheRestOfThePoll() throws Exception {
        String topic = TestNames.unique("side");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String value : List.of("one", "poison", "three", "four")) {
                producer.send(new ProducerRecord<>(topic, 0, null, value.getBytes(StandardCharsets.UTF_8))).get();
            }
        }
        List<String> received = new CopyOnWriteArrayList<>();
        SideTail.Sink sink = new SideTail.Sink() {
            @Override
            public void onRecord(ConsumerRecord<byte[], byte[]> record, long nowMillis) {
                String value = new String(record.value(), StandardCharsets.UTF_8);
                if (value.equals("poison")) {
                    throw new IllegalStateException("a shape nobody foresaw");
                }
                received.add(value);
            }

            @Override
            public void onReleased(int partition) {
            }

            @Override
            public void onTick(long nowMillis) {
            }
        };
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (SideTail tail = new SideTail(TestKafka.bootstrapServers(), Map.of(), topic, SideTail.Start.BEGINNING, sink, Clock.systemUTC(), meters)) {
            tail.watch(0).get(30, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 3);
            assertThat(received).containsExactly("one", "three", "four");
            assertThat(meters.get("roomcast.side.records.skipped").tag("topic", topic).counter().count()).isEqualTo(1.0);
        }
    }
}
