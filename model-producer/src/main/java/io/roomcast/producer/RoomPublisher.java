package io.roomcast.producer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.event.RecordLayout;
import io.roomcast.room.RoomName;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Writes room events to Kafka in the fixed record layout of broker-core's {@link RecordLayout}
 * (key = room, value = JSON, header {@code type}) through one idempotent producer ({@code acks=all}), so events of one room
 * written by this process keep their order.
 *
 * <p>Backpressure: at most {@code maxInFlight} sends are unacknowledged at any time; a caller
 * waits up to {@code sendTimeout} for a slot and otherwise gets a failed future, so memory
 * stays bounded however slow Kafka is. Best-effort events (log lines) use a separate, smaller
 * budget and are dropped rather than waited for. Every future completes: Kafka's delivery
 * timeout equals {@code sendTimeout}. Thread-safe.
 */
public final class RoomPublisher implements AutoCloseable {
    private final Producer<byte[], byte[]> producer;
    private final ObjectMapper json;
    private final Semaphore slots;
    private final Semaphore bestEffortSlots;
    private final Duration sendTimeout;

    public RoomPublisher(Producer<byte[], byte[]> producer, ObjectMapper json, int maxInFlight, Duration sendTimeout) {
        this.producer = producer;
        this.json = json;
        this.slots = new Semaphore(maxInFlight);
        this.bestEffortSlots = new Semaphore(Math.max(1, maxInFlight / 4));
        this.sendTimeout = sendTimeout;
    }

    /** Producer settings: idempotent, ordered, low latency, every wait bounded by {@code sendTimeout}. */
    public static Properties producerProperties(String bootstrapServers, Duration sendTimeout, Map<String, String> overrides) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        // tokens are small and latency-sensitive: wait 1 ms at most to batch (Kafka 4's default is 5 ms)
        props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        long timeout = sendTimeout.toMillis();
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeout));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(1, timeout - 2)));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout));
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Integer.toString(16 * 1024 * 1024));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "roomcast-model-producer");
        props.putAll(overrides);
        return props;
    }

    /** Sends one event, waiting up to the send timeout for an in-flight slot. Never throws. */
    public CompletableFuture<RecordMetadata> publish(String topic, RoomName room, String type, JsonNode data) {
        try {
            if (!slots.tryAcquire(sendTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return CompletableFuture.failedFuture(new PublishException("Kafka did not accept events within " + sendTimeout.toMillis() + " ms"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new PublishException("interrupted while waiting to publish"));
        }
        return send(topic, room, type, data, slots);
    }

    /** Sends one event only if a best-effort slot is free now; returns whether it was sent. */
    public boolean tryPublish(String topic, RoomName room, String type, JsonNode data) {
        if (!bestEffortSlots.tryAcquire()) {
            return false;
        }
        send(topic, room, type, data, bestEffortSlots);
        return true;
    }

    private CompletableFuture<RecordMetadata> send(String topic, RoomName room, String type, JsonNode data, Semaphore budget) {
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        try {
            producer.send(RecordLayout.toRecord(topic, room, type, json.writeValueAsBytes(data), null), (metadata, failure) -> {
                budget.release();
                if (failure != null) {
                    result.completeExceptionally(new PublishException("Kafka did not acknowledge the event: " + failure.getMessage(), failure));
                } else {
                    result.complete(metadata);
                }
            });
        } catch (JsonProcessingException | RuntimeException e) {
            // send() throws when it cannot even queue the record (metadata or buffer wait timed out, closed)
            budget.release();
            result.completeExceptionally(new PublishException("cannot publish: " + e.getMessage(), e));
        }
        return result;
    }

    /** Waits until every queued send has completed or failed (at most the send timeout, Kafka's delivery timeout). */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(sendTimeout);
    }

    /** An event was not written (or not acknowledged in time). */
    public static final class PublishException extends Exception {
        public PublishException(String message) {
            super(message);
        }

        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
