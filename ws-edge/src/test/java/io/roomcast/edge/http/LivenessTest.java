package io.roomcast.edge.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class LivenessTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Liveness liveness = new Liveness(Duration.ofSeconds(5), now::get);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void shouldReportAHeartThatStopsBeating() {
        Runnable io0 = liveness.heart("io thread 0");
        Runnable io1 = liveness.heart("io thread 1");
        for (int i = 0; i < 10; i++) {
            advance(Duration.ofSeconds(1));
            io0.run();
            io1.run();
        }
        assertThat(liveness.problem()).isEmpty();
        for (int i = 0; i < 6; i++) {
            advance(Duration.ofSeconds(1));
            io0.run();
        }
        assertThat(liveness.problem()).hasValueSatisfying(p -> assertThat(p).startsWith("io thread 1 silent for 6"));
        io1.run();
        assertThat(liveness.problem()).isEmpty();
    }

    @Test
    void shouldReportAWatchedBeatAndAFailedCondition() {
        AtomicLong liveLoop = new AtomicLong(now.get());
        AtomicBoolean running = new AtomicBoolean(true);
        liveness.watch("live tail loop", liveLoop::get);
        liveness.require("live tail stopped", running::get);
        advance(Duration.ofSeconds(4));
        assertThat(liveness.problem()).isEmpty();
        advance(Duration.ofSeconds(2));
        assertThat(liveness.problem()).hasValueSatisfying(p -> assertThat(p).startsWith("live tail loop silent"));
        liveLoop.set(now.get());
        running.set(false);
        assertThat(liveness.problem()).contains("live tail stopped");
    }

    @Test
    void shouldProbeOncePerPeriodHoweverOftenAsked() {
        AtomicInteger probes = new AtomicInteger();
        AtomicBoolean up = new AtomicBoolean(true);
        CachedProbe probe = new CachedProbe(up::get, Duration.ofSeconds(1), now::get, probes::incrementAndGet);
        assertThat(probe.fresh()).isEmpty();
        for (int i = 0; i < 100; i++) {
            assertThat(probe.get()).isTrue();
        }
        assertThat(probes).hasValue(1);
        assertThat(probe.fresh()).contains(true);
        up.set(false);
        advance(Duration.ofMillis(999));
        assertThat(probe.get()).isTrue();
        advance(Duration.ofMillis(1));
        assertThat(probe.fresh()).isEmpty();
        assertThat(probe.get()).isFalse();
        assertThat(probes).hasValue(2);
    }
}
