package io.roomcast.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roomcast.room.Namespace;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The publisher against a Kafka that is not there: a real producer, with no broker to reach. */
class KafkaPublisherTest {

    @Test
    void shouldOpenTheCircuitAtTheFirstRecordThatCouldNotEvenBeQueued() {
        Namespaces namespaces = Namespaces.of(new Namespace("chat", "nowhere.chat", 4, Duration.ofDays(1), 50));
        try (KafkaPublisher publisher = new KafkaPublisher("127.0.0.1:1", namespaces, Map.of("max.block.ms", 300),
                new SimpleMeterRegistry())) {
            PublishException first = failure(publisher);
            assertThat(first.reason()).isEqualTo(PublishException.Reason.UNAVAILABLE);
            assertThat(first.getMessage()).contains("not present in metadata");
            // one connection's publishes are written one after another: each would wait max.block.ms again
            assertThat(publisher.circuitState()).isEqualTo(CircuitBreaker.State.OPEN);
            PublishException next = failure(publisher);
            assertThat(next.reason()).isEqualTo(PublishException.Reason.UNAVAILABLE);
            assertThat(next.getMessage()).contains("circuit open");
        }
    }

    private static PublishException failure(KafkaPublisher publisher) {
        try {
            publisher.publish(RoomName.of("chat:a"), "message", "{}".getBytes(StandardCharsets.UTF_8), null, null)
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return (PublishException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("published to a Kafka that is not there");
    }
}
