package io.roomcast.shipper;

import io.roomcast.kafka.embedded.EmbeddedKafka;
import io.roomcast.testkit.TestKafka;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.roomcast.shipper.ShipperFixture.append;
import static io.roomcast.shipper.ShipperFixture.numbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Kafka goes away under a running shipper: the file holds the backlog, memory stays bounded, nothing is lost. */
class ShipperKafkaOutageIT {
    private static final int MAX_IN_FLIGHT = 100;

    @TempDir
    Path dir;

    private EmbeddedKafka kafka;
    private ShipperFixture fixture;

    @AfterEach
    void tearDown() {
        if (fixture != null) {
            fixture.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldShipEverythingWrittenDuringAnOutageOnceKafkaReturns() {
        kafka = TestKafka.startPrivate(dir.resolve("kafka"));
        fixture = new ShipperFixture(kafka.bootstrapServers());
        Path log = dir.resolve("app.log");
        append(log, numbered("line-", 1, 1_000));
        ShipperSettings settings = ShipperFixture.fastSettings()
                .withDeliveryTimeout(Duration.ofSeconds(5))
                .withInFlight(MAX_IN_FLIGHT, 64 * 1024);
        fixture.start(fixture.config(List.of(SourceConfig.file(log.toString(), fixture.room).withMultiline(MultilineRule.none())),
                settings), null);
        ShippedRoom room = fixture.room();
        room.awaitAtLeast(1_000, Duration.ofSeconds(30));

        kafka.close();
        append(log, numbered("line-", 1_001, 6_000));
        // The window fills (or the delivery timeout strikes first on a busy machine) and reading
        // pauses: the file holds the rest. The producer gives up after its delivery timeout; the
        // shipper then waits to re-synchronise. Meanwhile the in-flight window never exceeds its bound.
        java.util.concurrent.atomic.AtomicLong maxInFlight = new java.util.concurrent.atomic.AtomicLong();
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(20)).until(() -> {
            maxInFlight.accumulateAndGet((long) fixture.registry.get("roomcast.shipper.inflight.records").gauge().value(), Math::max);
            return fixture.count("roomcast.shipper.resyncs") >= 1;
        });
        assertThat(maxInFlight.get()).isLessThanOrEqualTo(MAX_IN_FLIGHT + 1);

        kafka = TestKafka.startPrivate(dir.resolve("kafka"));
        room.awaitAtLeast(6_000, Duration.ofSeconds(60));
        fixture.stopShippers();

        assertThat(room.readToEnd()).extracting(ShippedRoom.Shipped::line).containsExactly(numbered("line-", 1, 6_000));
    }
}
