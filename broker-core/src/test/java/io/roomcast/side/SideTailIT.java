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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
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

    /**
     * Watches of a partition that is still being read wait for it, up to a bound; one more fails at
     * once (the caller answers {@code unavailable}), and the others complete when it is read.
     */
    @Test
    void shouldBoundTheWatchesWaitingForAPartition() throws Exception {
        String topic = TestNames.unique("side");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 20), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 2_000; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, new byte[]{1}));
            }
            producer.flush();
        }
        HoldingSink sink = new HoldingSink();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        // One record per poll: the partition stays unread while the waiting watches are added.
        try (SideTail tail = new SideTail(TestKafka.bootstrapServers(), Map.of("max.poll.records", 1), topic, SideTail.Start.BEGINNING, sink,
                Clock.systemUTC(), meters)) {
            List<CompletableFuture<Void>> watches = new ArrayList<>();
            watches.add(tail.watch(0));
            assertThat(sink.holding.await(30, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < SideTail.WAITING_LIMIT; i++) {
                watches.add(tail.watch(0));
            }
            sink.release.countDown();

            await().atMost(Duration.ofSeconds(60)).until(() -> watches.stream().allMatch(CompletableFuture::isDone));
            assertThat(watches).filteredOn(CompletableFuture::isCompletedExceptionally).hasSize(1);
            assertThat(watches.get(watches.size() - 1)).isCompletedExceptionally();
            assertThat(meters.get("roomcast.side.waiting").tag("topic", topic).gauge().value()).isZero();
        }
    }

    /**
     * A watch refused because the command queue was full holds nothing, so its unwatch (which its
     * caller still sends) must release nothing: the partition stays read for the watchers that hold it.
     */
    @Test
    void shouldReleaseNothingForTheUnwatchOfAWatchThatWasRefused() throws Exception {
        String topic = TestNames.unique("side");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        HoldingSink sink = new HoldingSink();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (SideTail tail = new SideTail(TestKafka.bootstrapServers(), Map.of(), topic, SideTail.Start.END, sink, Clock.systemUTC(), meters);
             var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            var partitions = meters.get("roomcast.side.partitions").tag("topic", topic).gauge();
            var commands = meters.get("roomcast.side.commands").tag("topic", topic).gauge();
            tail.watch(0).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(topic, 0, null, new byte[]{1})).get();
            assertThat(sink.holding.await(30, TimeUnit.SECONDS)).as("the tail's thread is busy in the sink").isTrue();
            List<CompletableFuture<Void>> held = new ArrayList<>();
            CompletableFuture<Void> refused;
            do {
                refused = tail.watch(0);
                held.add(refused);
            } while (!refused.isCompletedExceptionally());
            held.remove(held.size() - 1);
            sink.release.countDown();
            await().atMost(Duration.ofSeconds(60)).until(() -> held.stream().allMatch(CompletableFuture::isDone));
            assertThat(held).noneMatch(CompletableFuture::isCompletedExceptionally);

            tail.unwatch(0); // the refused watch's
            for (int i = 0; i < held.size(); i++) { // all but the first watch's
                tail.unwatch(0);
                if (i % 1_000 == 999) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> commands.value() == 0);
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> commands.value() == 0);
            assertThat(partitions.value()).as("the first watch still holds the partition").isEqualTo(1);
            tail.unwatch(0);
            await().atMost(Duration.ofSeconds(30)).until(() -> partitions.value() == 0);
        }
    }

    /** Holds the tail's thread in its first record until released: the tail takes no command meanwhile. */
    private static final class HoldingSink implements SideTail.Sink {
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void onRecord(ConsumerRecord<byte[], byte[]> record, long nowMillis) {
            if (holding.getCount() == 0) {
                return;
            }
            holding.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void onReleased(int partition) {
        }

        @Override
        public void onTick(long nowMillis) {
        }
    }
}
