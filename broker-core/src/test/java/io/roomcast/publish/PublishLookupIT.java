package io.roomcast.publish;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roomcast.event.RecordLayout;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Retry lookups against a real broker: per publisher, committed records only, bounded, taking turns. */
class PublishLookupIT {
    private static final RoomName ROOM = RoomName.of("chat:lookup");
    private static KafkaProducer<byte[], byte[]> producer;
    private static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();

    @BeforeAll
    static void start() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        producer.close();
    }

    private static TopicPartition partition() {
        TopicPartition p = new TopicPartition(TestNames.unique("lookup"), 0);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(p.topic(), 1, (short) 1))).all().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return p;
    }

    private static ProducerRecord<byte[], byte[]> record(TopicPartition p, RoomName room, String eventId, String publisher, int valueBytes) {
        ProducerRecord<byte[], byte[]> r = RecordLayout.toRecord(p.topic(), p.partition(), room, "message", new byte[valueBytes], eventId,
                publisher == null ? List.of() : List.of(new RecordHeader(Publisher.PUBLISHER_HEADER, publisher.getBytes(StandardCharsets.UTF_8))));
        return r;
    }

    private static long write(TopicPartition p, RoomName room, String eventId, String publisher) throws Exception {
        return producer.send(record(p, room, eventId, publisher, 10)).get().offset();
    }

    private static void fill(TopicPartition p, int count, int valueBytes) throws Exception {
        for (int i = 0; i < count; i++) {
            producer.send(record(p, RoomName.of("chat:other"), null, null, valueBytes));
        }
        producer.flush();
    }

    private static PublishLookup lookup(long records, long bytes) {
        return new PublishLookup(TestKafka.bootstrapServers(), Map.of(), new PublishLookup.Limits(records, bytes, 100), METERS);
    }

    private static PublishLookup.Result find(PublishLookup lookup, TopicPartition p, String eventId, String publisher) {
        return lookup.find(p, ROOM, eventId, publisher, 0, -1, false).orTimeout(30, TimeUnit.SECONDS).join();
    }

    @Test
    void shouldFindOnlyThePublishersOwnWriteOfAnEventId() throws Exception {
        TopicPartition p = partition();
        write(p, ROOM, "e1", "bob");
        write(p, RoomName.of("chat:elsewhere"), "e1", "alice");
        long alices = write(p, ROOM, "e1", "alice");
        write(p, ROOM, "e1", null);
        try (PublishLookup lookup = lookup(1_000, 1 << 20)) {
            assertThat(find(lookup, p, "e1", "alice")).isEqualTo(new PublishLookup.Result.Found(alices));
            assertThat(find(lookup, p, "e1", "carol")).isEqualTo(new PublishLookup.Result.Absent(alices + 2));
            assertThat(lookup.find(p, ROOM, "e1", "alice", 0, alices + 1, false).join()).as("from an offset on")
                    .isEqualTo(new PublishLookup.Result.Absent(alices + 2));
        }
    }

    @Test
    void shouldNotCountAnAbortedTransactionalWrite() throws Exception {
        TopicPartition p = partition();
        try (KafkaProducer<byte[], byte[]> tx = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, TestNames.unique("tx")), new ByteArraySerializer(), new ByteArraySerializer())) {
            tx.initTransactions();
            tx.beginTransaction();
            tx.send(record(p, ROOM, "aborted-1", "alice", 10)).get();
            tx.abortTransaction();
        }
        long after = write(p, ROOM, "later", "alice");
        try (PublishLookup lookup = lookup(1_000, 1 << 20)) {
            assertThat(find(lookup, p, "aborted-1", "alice")).as("an aborted write never happened")
                    .isInstanceOf(PublishLookup.Result.Absent.class);
            assertThat(find(lookup, p, "later", "alice")).isEqualTo(new PublishLookup.Result.Found(after));
        }
    }

    /**
     * A write that landed after an open transaction began is hidden from read_committed readers until
     * the transaction ends; a settled lookup must not call it absent meanwhile.
     */
    @Test
    void shouldWaitForRecordsAnOpenTransactionHidesBeforeCallingAnEventAbsent() throws Exception {
        TopicPartition p = partition();
        try (KafkaProducer<byte[], byte[]> tx = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, TestNames.unique("tx")), new ByteArraySerializer(), new ByteArraySerializer());
             PublishLookup lookup = lookup(1_000, 1 << 20)) {
            tx.initTransactions();
            tx.beginTransaction();
            tx.send(record(p, RoomName.of("chat:model"), null, null, 10)).get();
            long hidden = write(p, ROOM, "hidden-1", "alice");

            assertThat(find(lookup, p, "hidden-1", "alice")).as("an unsettled lookup reads what is committed")
                    .isInstanceOf(PublishLookup.Result.Absent.class);
            CompletableFuture<PublishLookup.Result> settled = lookup.find(p, ROOM, "hidden-1", "alice", 0, -1, true);
            CompletableFuture.runAsync(tx::commitTransaction, CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS)).join();
            assertThat(settled.orTimeout(30, TimeUnit.SECONDS).join()).isEqualTo(new PublishLookup.Result.Found(hidden));
        }
    }

    @Test
    void shouldStopAtItsBoundsInRecordsAndBytes() throws Exception {
        TopicPartition p = partition();
        fill(p, 300, 1_000);
        try (PublishLookup byRecords = lookup(100, 1 << 30); PublishLookup byBytes = lookup(1_000_000, 20_000)) {
            assertThat(find(byRecords, p, "missing", "alice")).isInstanceOf(PublishLookup.Result.Unchecked.class);
            assertThat(find(byBytes, p, "missing", "alice")).isInstanceOf(PublishLookup.Result.Unchecked.class);
            assertThat(METERS.get("roomcast.publish.lookups").tag("result", "unchecked").counter().count()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void shouldLetAShortLookupOvertakeALongOne() throws Exception {
        TopicPartition big = partition();
        TopicPartition small = partition();
        fill(big, 100_000, 10);
        long mine = write(small, ROOM, "quick", "alice");
        try (PublishLookup lookup = lookup(1_000_000, 1 << 30)) {
            CompletableFuture<PublishLookup.Result> slow = lookup.find(big, ROOM, "missing", "alice", 0, -1, false);
            PublishLookup.Result quick = lookup.find(small, ROOM, "quick", "alice", 0, -1, false).orTimeout(30, TimeUnit.SECONDS).join();
            assertThat(quick).isEqualTo(new PublishLookup.Result.Found(mine));
            assertThat(slow).as("the long lookup reads in turns, so the short one did not wait for all of it").isNotDone();
            assertThat(slow.orTimeout(30, TimeUnit.SECONDS).join()).isInstanceOf(PublishLookup.Result.Absent.class);
        }
    }
}
