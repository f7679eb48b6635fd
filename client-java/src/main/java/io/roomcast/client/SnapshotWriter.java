package io.roomcast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.room.RoomName;
import io.roomcast.snapshot.SnapshotLayout;
import io.roomcast.topic.TopicMaker;
import io.roomcast.topic.TopicPolicy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes room snapshots (docs/snapshots.md) to the compacted snapshot topic, in the layout the edges read
 * ({@link SnapshotLayout}): a subscription with {@link From#snapshot()} then gets the newest snapshot and only the
 * events after it. A snapshot says "the room's state as of {@code position}": take the position from the subscription
 * that built the state ({@link Subscription#position()}), so its epoch is right. A snapshot of another epoch is still
 * delivered, but followed by an {@code epoch} gap: subscribers discard it and rebuild from the events (docs/protocol.md).
 *
 * <pre>{@code
 * try (SnapshotWriter snapshots = SnapshotWriter.connect("localhost:9092")) {
 *     snapshots.write("chat:counter", sub.position().orElseThrow(), Map.of("count", count)).join();
 * }
 * }</pre>
 *
 * <p>Thread-safe (one idempotent Kafka producer, {@code acks=all}); futures complete on the producer's I/O thread.
 * Creates the topic (compacted) when it is missing, on {@link #connect}.
 */
public final class SnapshotWriter implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final ObjectMapper mapper;

    private SnapshotWriter(KafkaProducer<byte[], byte[]> producer, String topic, ObjectMapper mapper) {
        this.producer = producer;
        this.topic = topic;
        this.mapper = mapper;
    }

    /** A writer to {@value SnapshotLayout#DEFAULT_TOPIC}, the edges' default. */
    public static SnapshotWriter connect(String bootstrapServers) {
        return connect(bootstrapServers, SnapshotLayout.DEFAULT_TOPIC, Map.of());
    }

    /**
     * A writer to {@code topic} (the edges' {@code --snapshot-topic}), with further Kafka client settings (security,
     * SASL, TLS) that win over the defaults. Blocks until the topic exists (up to 10 s); call it at start-up.
     */
    public static SnapshotWriter connect(String bootstrapServers, String topic, Map<String, Object> kafkaSettings) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Map<String, Object> admin = new HashMap<>(kafkaSettings);
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin a = Admin.create(admin)) {
            TopicMaker.ensure(a, TopicPolicy.brokerDefaults().forSideTopic(
                    SnapshotLayout.sideTopic(topic, SnapshotLayout.DEFAULT_PARTITIONS)), Duration.ofSeconds(10));
        }
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "roomcast-snapshot-writer");
        props.putAll(kafkaSettings);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return new SnapshotWriter(new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer()), topic,
                new ObjectMapper());
    }

    /**
     * Writes {@code state} (a {@link JsonNode} or anything Jackson converts) as the state of {@code room} as of
     * {@code position}. Completes once Kafka acknowledged it; compaction keeps only the newest snapshot of a room.
     *
     * @throws IllegalArgumentException for an invalid room name or a state Jackson cannot convert
     */
    public CompletableFuture<Void> write(String room, Position position, Object state) {
        Objects.requireNonNull(position, "position");
        JsonNode data = state instanceof JsonNode node ? node : mapper.valueToTree(state);
        return send(new SnapshotLayout(position.offset(), position.epoch(), data).toRecord(topic, RoomName.of(room)));
    }

    /** Deletes {@code room}'s snapshot (a tombstone): subscribers with {@link From#snapshot()} read from the start. */
    public CompletableFuture<Void> delete(String room) {
        return send(SnapshotLayout.tombstone(topic, RoomName.of(room)));
    }

    private CompletableFuture<Void> send(ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        producer.send(record, (meta, error) -> {
            if (error != null) {
                done.completeExceptionally(new RoomcastException(ErrorCode.UNAVAILABLE,
                        "snapshot of " + new String(record.key(), java.nio.charset.StandardCharsets.UTF_8) + " not written: " + error));
            } else {
                done.complete(null);
            }
        });
        return done;
    }

    /** Sends what is buffered and releases the producer. */
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
