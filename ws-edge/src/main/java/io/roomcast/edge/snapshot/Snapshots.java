package io.roomcast.edge.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomcast.kafka.ConsumerDefaults;
import io.roomcast.position.Epoch;
import io.roomcast.room.RoomName;
import io.roomcast.room.RoomPartitioner;
import io.roomcast.topic.TopicRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a room's newest snapshot in the compacted snapshot topic: reads the room's partition from
 * its beginning to its end with a short-lived consumer and keeps the last record of the room.
 * Compaction keeps that read short (one record per room, plus what the cleaner has not reached).
 *
 * <p>Thread-safety: safe for concurrent use. {@link #latest} blocks on Kafka (up to the configured
 * timeout): call it on a worker thread, never on an IO thread.
 */
public final class Snapshots {
    private static final Logger log = LoggerFactory.getLogger(Snapshots.class);

    private final SnapshotConfig config;
    private final TopicRegistry topics;
    private final Map<String, Object> consumerProps;
    private volatile int partitions;

    public Snapshots(SnapshotConfig config, TopicRegistry topics, String bootstrapServers, Map<String, Object> consumerSettings) {
        this.config = config;
        this.topics = topics;
        // Kafka's own defaults for records per poll and fetch wait; read_committed because snapshots
        // come from anyone's producer, a transactional one (Kafka Streams' exactly-once) included.
        this.consumerProps = Map.copyOf(new ConsumerDefaults("roomcast-snapshots", "earliest", 500, 500)
                .under(bootstrapServers, consumerSettings));
    }

    /**
     * The room's newest snapshot, or empty when it has none (or the newest record is a tombstone, is
     * no snapshot, or is larger than {@code maxBytes}: then the subscription falls back, as without one).
     *
     * @throws org.apache.kafka.common.KafkaException or {@link io.roomcast.topic.KafkaUnavailableException} when Kafka does not answer
     */
    public Optional<RoomSnapshot> latest(RoomName room) {
        int n = partitions;
        if (n == 0) {
            n = topics.ensure(config.sideTopic()).partitions();
            partitions = n;
        }
        TopicPartition tp = new TopicPartition(config.topic(), RoomPartitioner.partition(room, n));
        byte[] key = room.keyBytes();
        ConsumerRecord<byte[], byte[]> newest = null;
        long deadline = System.nanoTime() + config.timeout().toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), config.timeout()).get(tp);
            while (consumer.position(tp, config.timeout()) < end) {
                if (System.nanoTime() > deadline) {
                    log.atWarn().addKeyValue("room", room).addKeyValue("partition", tp).log("snapshot lookup timed out; falling back");
                    return Optional.empty();
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (Arrays.equals(key, r.key())) {
                        newest = r;
                    }
                }
            }
        }
        if (newest == null || newest.value() == null) {
            return Optional.empty();
        }
        if (newest.value().length > config.maxBytes()) {
            log.atWarn().addKeyValue("room", room).addKeyValue("bytes", newest.value().length).log("snapshot too large; falling back");
            return Optional.empty();
        }
        Optional<RoomSnapshot> snapshot = RoomSnapshot.decode(newest.value(), newest.timestamp());
        if (snapshot.isEmpty()) {
            log.atWarn().addKeyValue("room", room).addKeyValue("offset", newest.offset()).log("ignoring a snapshot record that is no snapshot");
        }
        return snapshot;
    }

    /** {@code {"op":"snapshot","id":N,"room":R,"offset":X,"epoch":E,"ts":T,"data":...}}. */
    public static ByteBuffer frame(JsonNode id, RoomName room, RoomSnapshot s, Epoch epoch) {
        ObjectNode f = JsonNodeFactory.instance.objectNode();
        f.put("op", "snapshot");
        if (id != null && !id.isNull()) {
            f.set("id", id);
        }
        f.put("room", room.value()).put("offset", s.offset()).put("epoch", epoch.value()).put("ts", s.timestamp()).set("data", s.data());
        return ByteBuffer.wrap(f.toString().getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
    }
}
