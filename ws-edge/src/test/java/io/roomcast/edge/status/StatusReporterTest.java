package io.roomcast.edge.status;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roomcast.publish.Publisher;
import io.roomcast.room.RoomName;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class StatusReporterTest {
    private static final Publisher NOTHING = new Publisher() {
        @Override
        public CompletableFuture<Long> publish(RoomName room, String type, byte[] data, String eventId, String publisher) {
            return CompletableFuture.completedFuture(0L);
        }

        @Override
        public java.time.Duration settleTime() {
            return java.time.Duration.ZERO;
        }

        @Override
        public void close() {
        }
    };

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        final AtomicLong millis = new AtomicLong(1_000_000);

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }

    @Test
    void shouldReportRatesOverTheLastIntervalFromTheEdgesMeters() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Counter acked = Counter.builder("roomcast.publish.acked").register(meters);
        AtomicLong out = new AtomicLong(); // the edge's is a count summed when read
        FunctionCounter.builder("roomcast.events.out", out, AtomicLong::get).register(meters);
        TestClock clock = new TestClock();
        try (StatusReporter reporter = new StatusReporter(meters, NOTHING, () -> true, () -> false, "edge-1:8080",
                "http://127.0.0.1:8080", Duration.ZERO, clock)) {
            acked.increment(20);
            out.addAndGet(100);
            clock.millis.addAndGet(2000);
            EdgeStatus first = reporter.sample();
            assertThat(first.eventsInPerSec()).isEqualTo(10.0);
            assertThat(first.eventsOutPerSec()).isEqualTo(50.0);
            assertThat(first.uptimeMs()).isEqualTo(2000);
            assertThat(first.kafkaReachable()).isTrue();
            assertThat(first.edge()).isEqualTo("edge-1:8080");

            clock.millis.addAndGet(1000);
            EdgeStatus idle = reporter.sample();
            assertThat(idle.eventsInPerSec()).isZero();
            assertThat(idle.connections()).isZero(); // a meter the registry lacks reads as 0
        }
    }

    @Test
    void shouldTakeThe99thPercentileOfWhatTheLastIntervalRecorded() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        DistributionSummary lag = DistributionSummary.builder("lag").serviceLevelObjectives(1, 10, 100, 1000).register(meters);
        StatusReporter.BucketDelta delta = new StatusReporter.BucketDelta();
        for (int i = 0; i < 100; i++) {
            lag.record(500);
        }
        assertThat(delta.p99(lag, TimeUnit.SECONDS)).isEqualTo(1000);
        for (int i = 0; i < 100; i++) {
            lag.record(5);
        }
        assertThat(delta.p99(lag, TimeUnit.SECONDS)).isEqualTo(10); // the earlier interval's large values no longer count
        assertThat(delta.p99(lag, TimeUnit.SECONDS)).isZero(); // nothing recorded since
        assertThat(delta.p99(null, TimeUnit.SECONDS)).isZero();
    }
}
