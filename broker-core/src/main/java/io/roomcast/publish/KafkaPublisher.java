package io.roomcast.publish;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.IllegalStateTransitionException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.roomcast.event.RecordLayout;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.room.UnknownNamespaceException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Kafka publisher: an idempotent producer with {@code acks=all}, guarded by a Resilience4j
 * circuit breaker so that while Kafka is away publishes fail fast as {@code UNAVAILABLE}
 * instead of queueing.
 *
 * <p>Failures say whether the event may still be written. A record the producer refused before it
 * was queued for sending (unknown metadata after {@code max.block.ms}, too large, circuit open) was
 * certainly not written. Once queued, a failure (delivery timeout, a request that timed out, a
 * leader change) leaves it open: the request may have reached the leader, so it is
 * {@code OUTCOME_UNKNOWN} until {@link #settleTime()} has passed.
 *
 * <p>Threading: thread-safe. {@link #publish} may block for up to the producer's
 * {@code max.block.ms} when Kafka's metadata is unknown or the producer's buffer is full, so it
 * must not be called on an IO thread. Futures complete on the producer's I/O thread: keep
 * callbacks short.
 */
public final class KafkaPublisher implements Publisher {
    private final KafkaProducer<byte[], byte[]> producer;
    private final Namespaces namespaces;
    private final CircuitBreaker breaker;
    private final Timer ackLatency;
    private final Counter failures;
    private final Duration settleTime;

    public KafkaPublisher(String bootstrapServers, Namespaces namespaces, Map<String, Object> producerOverrides,
                          MeterRegistry meters) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Kafka 4's default linger of 5 ms would add 5 ms to every chat message; 1 ms still batches bursts.
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "roomcast-publisher-" + Integer.toHexString(System.identityHashCode(this)));
        props.putAll(producerOverrides);
        this.settleTime = Duration.ofMillis(millis(props, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)
                + millis(props, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG));
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.namespaces = namespaces;
        this.breaker = CircuitBreaker.of("kafka-publish", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(20)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(5))
                .permittedNumberOfCallsInHalfOpenState(3)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .recordException(e -> !(unwrap(e) instanceof RecordTooLargeException)
                        && !(unwrap(e) instanceof NotQueued nq && nq.getCause() instanceof RecordTooLargeException))
                .build());
        this.ackLatency = Timer.builder("roomcast.publish.ack.latency")
                .description("time from publish to Kafka's acknowledgement").publishPercentileHistogram().register(meters);
        this.failures = Counter.builder("roomcast.publish.failures").register(meters);
        io.micrometer.core.instrument.Gauge.builder("roomcast.publish.circuit.open", breaker,
                b -> b.getState() == CircuitBreaker.State.OPEN ? 1 : 0).register(meters);
    }

    private static long millis(Map<String, Object> props, String key) {
        try {
            return Long.parseLong(String.valueOf(props.get(key)).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("producer setting " + key + " must be a number of milliseconds, was " + props.get(key));
        }
    }

    @Override
    public Duration settleTime() {
        return settleTime;
    }

    @Override
    public CompletableFuture<Long> publish(RoomName room, String type, byte[] data, String eventId, String publisher) {
        String topic;
        try {
            topic = namespaces.of(room).topic();
        } catch (UnknownNamespaceException e) {
            return CompletableFuture.failedFuture(new PublishException(PublishException.Reason.INVALID, e.getMessage(), e));
        }
        ProducerRecord<byte[], byte[]> record = RecordLayout.toRecord(topic, null, room, type, data, eventId, publisher == null
                ? List.of() : List.of(new RecordHeader(PUBLISHER_HEADER, publisher.getBytes(StandardCharsets.UTF_8))));
        long start = System.nanoTime();
        CompletableFuture<Long> result = new CompletableFuture<>();
        try {
            breaker.executeCompletionStage(() -> send(record)).whenComplete((offset, error) -> {
                if (error == null) {
                    ackLatency.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
                    result.complete(offset);
                } else {
                    failures.increment();
                    openWhenUnreachable(unwrap(error));
                    result.completeExceptionally(translate(unwrap(error)));
                }
            });
        } catch (CallNotPermittedException e) {
            failures.increment();
            result.completeExceptionally(translate(e));
        }
        return result;
    }

    private CompletableFuture<Long> send(ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<Long> sent = new CompletableFuture<>();
        Thread caller = Thread.currentThread();
        AtomicBoolean queued = new AtomicBoolean();
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    sent.complete(metadata.offset());
                } else if (!queued.get() && Thread.currentThread() == caller) {
                    // The producer calls back inside send() only when it refused the record before queueing it.
                    sent.completeExceptionally(new NotQueued(error));
                } else {
                    sent.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            sent.completeExceptionally(new NotQueued(e));
        }
        queued.set(true);
        return sent;
    }

    /**
     * A record the producer could not even queue within {@code max.block.ms} (no leader known for its partition, or
     * its buffer full) says Kafka is out of reach now: the breaker opens at once instead of after five such waits.
     * A connection's publishes are written one after another, so they would otherwise be answered one every 5 s.
     */
    private void openWhenUnreachable(Throwable error) {
        if (error instanceof NotQueued nq && nq.getCause() instanceof org.apache.kafka.common.errors.TimeoutException
                && breaker.getState() != CircuitBreaker.State.OPEN) {
            try {
                breaker.transitionToOpenState();
            } catch (IllegalStateTransitionException alreadyOpen) {
                // another failure opened it meanwhile
            }
        }
    }

    /** A failure before the record was queued for sending: it was certainly not written. */
    private static final class NotQueued extends RuntimeException {
        NotQueued(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    public CircuitBreaker.State circuitState() {
        return breaker.getState();
    }

    private static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static PublishException translate(Throwable e) {
        if (e instanceof PublishException p) {
            return p;
        }
        Throwable cause = e instanceof NotQueued ? e.getCause() : e;
        if (cause instanceof RecordTooLargeException) {
            return new PublishException(PublishException.Reason.TOO_LARGE, "event is larger than Kafka accepts", cause);
        }
        if (cause instanceof CallNotPermittedException) {
            return new PublishException(PublishException.Reason.UNAVAILABLE, "Kafka is unavailable (circuit open); nothing was written", cause);
        }
        if (e instanceof NotQueued) {
            return new PublishException(PublishException.Reason.UNAVAILABLE, "Kafka is unavailable; nothing was written: "
                    + cause.getMessage(), cause);
        }
        return new PublishException(PublishException.Reason.OUTCOME_UNKNOWN, "Kafka did not acknowledge the write; it may still land: "
                + cause.getMessage(), cause);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
