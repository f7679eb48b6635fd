package io.roomcast.bench.target;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Publishes into Roomcast the way any Kafka producer can: key = room, value = JSON data, into the
 * namespace's topic. {@code linger.ms=0}, so a single event is not held back (Kafka 4 defaults to 5 ms).
 */
public final class KafkaSink implements EventSink {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    public KafkaSink(String bootstrap, String topic, int lingerMs) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, lingerMs,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void publish(String room, byte[] data) {
        producer.send(new ProducerRecord<>(topic, room.getBytes(StandardCharsets.UTF_8), data));
    }

    @Override
    public void sync() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
