package io.roomcast.edge.ephemeral;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.roomcast.edge.protocol.EventFrames;
import io.roomcast.edge.publish.ReservedTypes;
import io.roomcast.event.RecordLayout;
import io.roomcast.room.RoomName;
import io.roomcast.room.RoomPartitioner;
import io.roomcast.side.SideTail;
import io.roomcast.topic.TopicRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Pattern;

/**
 * Ephemeral signals of one edge: publishes go to the short-retention ephemeral topic (key = room,
 * header {@code type} and {@code client}); the edge reads the partitions of rooms with ephemeral
 * subscribers from their end (live only) and hands each record's frame, encoded once, to the
 * room's listeners. Nothing here is ever replayed: the room topics never hold these events.
 *
 * <p>Thread-safety: public methods may be called from any thread and do not block.
 */
public final class Ephemeral implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Ephemeral.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final String CLIENT_HEADER = "client";
    /** What {@code Presence.clientId} makes (edge id, a dot, the connection's id), with room to spare. */
    private static final Pattern CLIENT = Pattern.compile("[\\x21-\\x7e]{1,128}");

    private final EphemeralConfig config;
    private final Producer<byte[], byte[]> producer;
    private final SideTail tail;
    private final TopicRegistry topics;
    /** The topic's partition count, looked up (and the topic created) on first use; 0 until then. */
    private volatile int partitions;
    private final Map<RoomName, Set<EphemeralListener>> listeners = new ConcurrentHashMap<>();
    private final Counter published;
    private final Counter dropped;

    public Ephemeral(EphemeralConfig config, TopicRegistry topics, String bootstrapServers, Map<String, Object> consumerSettings,
                     Map<String, Object> producerSettings, Clock clock, MeterRegistry meters) {
        this.config = config;
        this.topics = topics;
        Map<String, Object> props = new HashMap<>(producerSettings);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // Signals are superseded within a second: one acknowledgement is enough, and no waiting to batch.
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "roomcast-ephemeral");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.tail = new SideTail(bootstrapServers, consumerSettings, config.topic(), SideTail.Start.END, new Sink(), clock, meters);
        this.published = Counter.builder("roomcast.ephemeral.published").description("ephemeral events written").register(meters);
        this.dropped = Counter.builder("roomcast.ephemeral.dropped")
                .description("ephemeral events not delivered because the connection's outbound buffer was full").register(meters);
    }

    public EphemeralConfig config() {
        return config;
    }

    Counter dropped() {
        return dropped;
    }

    /** Writes one ephemeral event; the future completes when Kafka acknowledged it. Call it on a worker thread (topic lookup). */
    public CompletableFuture<Void> publish(RoomName room, String type, byte[] data, String client) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        List<Header> headers = List.of(new RecordHeader(RecordLayout.TYPE_HEADER, type.getBytes(StandardCharsets.UTF_8)),
                new RecordHeader(CLIENT_HEADER, client.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(new ProducerRecord<>(config.topic(), partition(room), null, room.keyBytes(), data, headers), (m, failure) -> {
                if (failure == null) {
                    published.increment();
                    done.complete(null);
                } else {
                    done.completeExceptionally(failure);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /** Starts delivering the room's ephemeral events published from now on; the future completes when they flow. */
    CompletableFuture<Void> listen(RoomName room, EphemeralListener listener) {
        int p;
        try {
            p = partition(room);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        listeners.computeIfAbsent(room, r -> new CopyOnWriteArraySet<>()).add(listener);
        return tail.watch(p);
    }

    void unlisten(RoomName room, EphemeralListener listener) {
        Set<EphemeralListener> set = listeners.get(room);
        if (set != null && set.remove(listener)) {
            if (set.isEmpty()) {
                listeners.remove(room, set);
            }
            tail.unwatch(partition(room));
        }
    }

    /** May block on Kafka the first time (topic lookup or creation). */
    private int partition(RoomName room) {
        int n = partitions;
        if (n == 0) {
            n = topics.ensure(config.sideTopic()).partitions();
            partitions = n;
        }
        return RoomPartitioner.partition(room, n);
    }

    @Override
    public void close() {
        tail.close();
        producer.close(Duration.ofSeconds(2));
    }

    /**
     * {@code {"op":"event","room":R,"type":T,"ts":TS,"data":D,"ephemeral":true,"client":C}}: no offset, it is no position.
     * {@code data} is the record's value, checked to be one JSON value ({@link EventFrames#isJsonValue}), passed as it is
     * (null: {@code null}).
     */
    static ByteBuffer frame(RoomName room, String type, long ts, byte[] data, String client) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96 + (data == null ? 0 : data.length));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("op", "event");
            g.writeStringField("room", room.value());
            g.writeStringField("type", type);
            g.writeNumberField("ts", ts);
            g.writeFieldName("data");
            if (data == null) {
                g.writeNull();
            } else {
                g.writeRawValue(new String(data, StandardCharsets.UTF_8));
            }
            g.writeBooleanField("ephemeral", true);
            if (client != null) {
                g.writeStringField("client", client);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ByteBuffer.wrap(out.toByteArray()).asReadOnlyBuffer();
    }

    /** Reads the ephemeral topic; runs on the tail's thread. */
    private final class Sink implements SideTail.Sink {
        @Override
        public void onRecord(ConsumerRecord<byte[], byte[]> record, long now) {
            if (record.key() == null) {
                return;
            }
            String key = new String(record.key(), StandardCharsets.UTF_8);
            if (!RoomName.isValid(key)) {
                return;
            }
            RoomName room = RoomName.of(key);
            Set<EphemeralListener> set = listeners.get(room);
            if (set == null || set.isEmpty()) {
                return;
            }
            String type = RecordLayout.typeOf(record);
            if (ReservedTypes.isReserved(type)) {
                return; // model producers' event types are never signals
            }
            // One JSON value in UTF-8 within the protocol's depth, as a room event's value is checked; Jackson alone takes
            // trailing garbage, other encodings and any depth.
            if (record.value() != null && !EventFrames.isJsonValue(record.value())) {
                log.atDebug().addKeyValue("room", room).log("ignoring an ephemeral record that is not JSON");
                return;
            }
            ByteBuffer frame = frame(room, type, record.timestamp(), record.value(), clientOf(record));
            set.forEach(l -> l.deliver(frame));
        }

        /** The sender's client id, or null when the record has none an edge would have written (a stranger's). */
        private static String clientOf(ConsumerRecord<byte[], byte[]> record) {
            Header h = record.headers().lastHeader(CLIENT_HEADER);
            if (h == null || h.value() == null) {
                return null;
            }
            String client = new String(h.value(), StandardCharsets.UTF_8);
            return CLIENT.matcher(client).matches() ? client : null;
        }

        @Override
        public void onReleased(int partition) {
            // nothing kept
        }

        @Override
        public void onTick(long now) {
            // nothing expires
        }
    }
}
