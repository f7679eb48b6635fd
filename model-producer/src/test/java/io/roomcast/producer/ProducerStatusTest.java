package io.roomcast.producer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class ProducerStatusTest {

    @Test
    void shouldReportTokensPerSecondAndFirstTokenTimesOfTheLastInterval() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Counter tokens = Counter.builder("roomcast.producer.tokens").tag("backend", "sim").register(registry);
        Timer first = Timer.builder("roomcast.producer.first.token").tag("backend", "sim").register(registry);
        Counter failed = registry.counter("roomcast.producer.generations", "backend", "sim", "outcome", "error");
        ObjectMapper json = new ObjectMapper();
        RoomPublisher publisher = new RoomPublisher(new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
                json, 10, Duration.ofSeconds(1));
        Clock clock = Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC);
        try (ProducerStatus status = new ProducerStatus(registry, publisher, json, "roomcast.sys", "host:1", "sim", Duration.ofHours(1), clock)) {
            tokens.increment(50);
            first.record(Duration.ofMillis(100));
            first.record(Duration.ofMillis(300));
            failed.increment();
            ObjectNode d = status.sample();
            assertThat(d.path("producer").asText()).isEqualTo("host:1");
            assertThat(d.path("firstTokenMeanSeconds").asDouble()).isEqualTo(0.2);
            assertThat(d.path("failedGenerations").asLong()).isEqualTo(1);
            assertThat(d.path("breaker").asText()).isEqualTo("closed"); // no breaker gauge reads as 0
            assertThat(status.sample().path("firstTokenMeanSeconds").asDouble()).isZero(); // nothing new since
        }
        assertThat(ProducerStatus.topicBeside("roomcast.logs")).isEqualTo("roomcast.sys");
        assertThat(ProducerStatus.topicBeside("t1.logs")).isEqualTo("t1.sys");
    }
}
