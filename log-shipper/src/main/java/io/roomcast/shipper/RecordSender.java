package io.roomcast.shipper;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One generation of the Kafka producer: idempotent, {@code acks=all}, retrying each record for
 * up to {@code deliveryTimeout}, with a bounded {@link InFlightWindow}. The first failure is
 * kept; the shipper then abandons this sender and re-synchronises with the positions in Kafka,
 * because after a failure the producer cannot tell which of the failed records were written.
 *
 * <p>Thread-safe: the shipper thread sends; acknowledgements run on the producer's I/O thread,
 * in send order per partition.
 */
final class RecordSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RecordSender.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final InFlightWindow window;
    private final ShipperMetrics metrics;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Duration settleTime;
    private volatile long stoppedAtNanos;

    /**
     * @param batchBytes the largest batch the target topics accept ({@link TopicLimits#batchBytes()}):
     *                   a batch above it would be refused, split by the producer and resent,
     *                   and a split part may then land after a record that fails
     */
    RecordSender(ShipperConfig config, ShipperMetrics metrics, Runnable onRoom, int batchBytes) {
        this.metrics = metrics;
        ShipperSettings s = config.settings();
        this.window = new InFlightWindow(s.maxInFlightRecords(), s.maxInFlightBytes(), onRoom);
        Map<String, Object> properties = properties(config);
        properties.merge(ProducerConfig.BATCH_SIZE_CONFIG, batchBytes,
                (configured, limit) -> Math.min(Integer.parseInt(String.valueOf(configured).trim()), (Integer) limit));
        this.settleTime = Duration.ofMillis(Long.parseLong(String.valueOf(properties.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)).trim()));
        this.producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static Map<String, Object> properties(ShipperConfig config) {
        ShipperSettings s = config.settings();
        long delivery = s.deliveryTimeout().toMillis();
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "roomcast-shipper-" + config.host());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(30_000, delivery / 2));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, delivery));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(32L << 20, 2 * s.maxInFlightBytes() + (4L << 20)));
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(1 << 20, s.maxEventBytes() + 64 * 1024));
        p.putAll(config.kafkaProperties());
        return p;
    }

    InFlightWindow window() {
        return window;
    }

    /**
     * How long after this generation stopped a request it had on the wire may still be appended:
     * the producer's {@code request.timeout.ms}, the longest a request is in flight before the
     * producer gives up on it. The shipper reads positions back only after it has passed.
     */
    Duration settleTime() {
        return settleTime;
    }

    /** When this generation stopped at its first failure ({@link System#nanoTime()}), valid once {@link #failure()} is set. */
    long stoppedAtNanos() {
        return stoppedAtNanos;
    }

    /** The first failure of this generation, or {@code null}. */
    Exception failure() {
        return failure.get();
    }

    /** Sends a record; {@code onAck} runs once Kafka has acknowledged it. */
    void send(ProducerRecord<byte[], byte[]> record, Runnable onAck) {
        if (failure.get() != null) {
            return; // this generation is finished; the shipper re-synchronises and reads the record again
        }
        int size = record.value().length;
        window.acquire(size);
        try {
            producer.send(record, (metadata, e) -> {
                window.release(size);
                if (e == null) {
                    metrics.recordAcked();
                    onAck.run();
                } else {
                    metrics.sendFailed();
                    fail(e);
                }
            });
        } catch (KafkaException | IllegalStateException e) {
            window.release(size);
            metrics.sendFailed();
            fail(e);
        }
    }

    /**
     * Ends this generation at its first failure. Closing the producer at once (from the callback
     * of the failed record) aborts every record queued after it, and the broker refuses the
     * records already on the wire behind it for their sequence gap (idempotence). Letting them
     * through, as a graceful close would, lets a later record land after a failed one: the
     * position read back from Kafka would then be past the failed lines, and they would be
     * skipped for good (a record the topic refuses as too large, for example).
     */
    private void fail(Exception e) {
        if (failure.compareAndSet(null, e)) {
            stoppedAtNanos = System.nanoTime();
            if (e instanceof RetriableException) {
                log.atWarn().addKeyValue("error", e.toString()).log("Kafka did not acknowledge a record; stopping at it");
            } else {
                log.atError().addKeyValue("error", e.toString())
                        .log("Kafka refused a record; shipping stops at it and retries until Kafka accepts it (check the topic's max.message.bytes and the shipper's maxEventBytes)");
            }
            closeNow();
        }
    }

    private void closeNow() {
        try {
            producer.close(Duration.ZERO);
        } catch (KafkaException | IllegalStateException e) {
            log.atDebug().addKeyValue("error", e.toString()).log("producer close failed");
        }
    }

    /** Waits up to {@code timeout} for records in flight, then abandons the rest. */
    void close(Duration timeout) {
        try {
            producer.close(timeout);
        } catch (KafkaException e) {
            log.atDebug().addKeyValue("error", e.toString()).log("producer close failed");
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
