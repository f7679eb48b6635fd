package io.roomcast.shipper;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** Test helper: everything a room holds in Kafka, read with a plain consumer. */
final class ShippedRoom implements AutoCloseable {
    /** One shipped record: its event and the headers the shipper wrote. */
    record Shipped(long offset, LogRecordEvent event, String type, String src, long pos) {
        String line() {
            return event.line();
        }
    }

    private final String room;
    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<Shipped> records = new ArrayList<>();

    ShippedRoom(String bootstrap, String topic, String room) {
        this.room = room;
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Polls until at least {@code n} records of the room have arrived, and returns all of them. */
    List<Shipped> awaitAtLeast(int n, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> poll().size() >= n);
        return List.copyOf(records);
    }

    /** Reads up to the current end of the topic and returns everything of the room. */
    List<Shipped> readToEnd() {
        assign();
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            poll();
            return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
        });
        return List.copyOf(records);
    }

    private List<Shipped> poll() {
        assign();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
            if (room.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                try {
                    records.add(new Shipped(r.offset(), LogRecordEvent.fromJson(r.value()), header(r, "type"),
                            header(r, "src"), position(header(r, "pos"))));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return records;
    }

    private void assign() {
        if (consumer.assignment().isEmpty()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !consumer.partitionsFor(topic).isEmpty());
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(PartitionInfo::partition).map(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
    }

    /** The {@code pos} header, or -1 when a stranger's record has none or garbage. */
    private static long position(String pos) {
        try {
            return pos == null ? -1 : Long.parseLong(pos);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
