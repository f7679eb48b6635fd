package io.roomcast.edge;

import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/** Writes records the way any plain Kafka producer would, for tests. */
final class KafkaRoom implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final Namespaces namespaces;

    KafkaRoom(Namespaces namespaces) {
        this(namespaces, TestKafka.bootstrapServers());
    }

    KafkaRoom(Namespaces namespaces, String bootstrap) {
        this.namespaces = namespaces;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 0),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Writes one record and returns its offset. */
    long write(RoomName room, String type, byte[] value, Long timestamp) {
        return write(namespaces.of(room).topic(), room.keyBytes(), type, value, timestamp);
    }

    long write(String topic, byte[] key, String type, byte[] value, Long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        if (type != null) {
            headers.add("type", type.getBytes(StandardCharsets.UTF_8));
        }
        try {
            return producer.send(new ProducerRecord<>(topic, null, timestamp, key, value, headers)).get().offset();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    long json(RoomName room, String json) {
        return write(room, null, json.getBytes(StandardCharsets.UTF_8), null);
    }

    /** Writes {@code count} messages {"n":i} and returns their offsets. */
    List<Long> messages(RoomName room, int count) {
        List<Long> offsets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            offsets.add(json(room, "{\"n\":" + i + "}"));
        }
        return offsets;
    }

    /** Writes {@code count} messages {"i":n,"pad":...} without waiting for each ack; returns their offsets in order. */
    List<Long> bulk(RoomName room, int count, int padding) {
        String pad = "x".repeat(padding);
        List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] value = ("{\"i\":" + i + ",\"pad\":\"" + pad + "\"}").getBytes(StandardCharsets.UTF_8);
            sent.add(producer.send(new ProducerRecord<>(namespaces.of(room).topic(), room.keyBytes(), value)));
        }
        List<Long> offsets = new ArrayList<>(count);
        for (var f : sent) {
            try {
                offsets.add(f.get().offset());
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
        return offsets;
    }

    @Override
    public void close() {
        producer.close();
    }
}
