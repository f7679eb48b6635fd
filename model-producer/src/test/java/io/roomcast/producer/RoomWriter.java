package io.roomcast.producer;

import io.roomcast.event.RecordLayout;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Test helper: publishes room events the way any client would, with a plain Kafka producer. */
final class RoomWriter implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    RoomWriter(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        this.producer = new KafkaProducer<>(props);
        this.topic = topic;
    }

    /** Publishes and returns the event's generation id (useful for prompts). */
    String publish(String room, String type, String json) {
        return publish(room == null ? null : room.getBytes(StandardCharsets.UTF_8), type, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    String publish(byte[] room, String type, byte[] value) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, room, value);
        if (type != null) {
            record.headers().add(RecordLayout.TYPE_HEADER, type.getBytes(StandardCharsets.UTF_8));
        }
        try {
            var metadata = producer.send(record).get(30, TimeUnit.SECONDS);
            return new GenerationId(topic, metadata.partition(), metadata.offset()).value();
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    String prompt(String room, String text) {
        return publish(room, EventTypes.PROMPT, "{\"text\":\"" + text + "\"}");
    }

    @Override
    public void close() {
        producer.close();
    }
}
