package io.roomcast.shipper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import static io.roomcast.shipper.ShipperFixture.append;
import static io.roomcast.shipper.ShipperFixture.appendRaw;
import static io.roomcast.shipper.ShipperFixture.numbered;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka stalls (nothing is acknowledged, the in-flight window stays full) for longer than the shipper's timeouts: time
 * in which reading is paused is no idle time of the input. Driven on the shipper thread's own calls with a made-up clock.
 */
class ShipperBackpressureTest {
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ShipperMetrics metrics = new ShipperMetrics(registry);
    private final ShipperSettings settings = ShipperSettings.defaults()
            .withRotateWait(Duration.ofSeconds(1))
            .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1));
    private final InFlightWindow window = new InFlightWindow(1, 1 << 20, () -> { });
    private final List<RawRecord> shipped = new ArrayList<>();
    /** Acknowledgements Kafka has not given yet. */
    private final Deque<Runnable> unacknowledged = new ArrayDeque<>();
    private final Tail.RecordSink sink = sink((tail, generation, record) -> {
        window.acquire(1);
        unacknowledged.add(() -> {
            window.release(1);
            tail.acknowledged(generation, record.end());
        });
    });
    private final byte[] scratch = new byte[64 * 1024];

    /** What the sink does besides recording what was shipped. */
    private interface Sending {
        void send(Tail tail, int generation, RawRecord record);
    }

    private Tail.RecordSink sink(Sending sending) {
        return new Tail.RecordSink() {
            @Override
            public void ship(Tail tail, int generation, RawRecord record, HeadFingerprint head) {
                shipped.add(record);
                sending.send(tail, generation, record);
            }

            @Override
            public int maxTextBytes(Tail tail, RawRecord first) {
                return 1 << 20;
            }
        };
    }

    private void kafkaAcknowledgesEverything() {
        while (!unacknowledged.isEmpty()) {
            unacknowledged.poll().run();
        }
    }

    private List<String> texts() {
        return shipped.stream().map(RawRecord::text).toList();
    }

    @Test
    void shouldReadARotatedFileToItsEndWhenKafkaStalledLongerThanRotateWait() throws Exception {
        Path log = dir.resolve("app.log");
        append(log, numbered("line-", 1, 100));
        FileSource source = new FileSource(SourceConfig.file(log.toString(), "logs:a").withMultiline(MultilineRule.none()),
                settings, metrics);
        source.discover();
        source.start(Map.of(), 0);
        source.poll(0, scratch, window, sink); // one record in flight fills the window: Kafka stalls from here
        Files.move(log, dir.resolve("app.old"));
        source.rescan(SECOND / 10, sink);

        source.poll(5 * SECOND, scratch, window, sink); // nothing could be read for longer than rotateWait
        for (long t = 6; t < 300 && !source.tails().isEmpty(); t++) {
            kafkaAcknowledgesEverything();
            source.poll(t * SECOND, scratch, window, sink);
        }

        // The file was once closed after the stall with 99 lines unread.
        assertThat(texts()).containsExactly(numbered("line-", 1, 100));
        assertThat(source.tails()).isEmpty();
    }

    @Test
    void shouldNotSplitAStackTraceWhileKafkaStalls() throws Exception {
        Path log = dir.resolve("app.log");
        append(log, "first", "ERROR boom");
        FileSource source = new FileSource(SourceConfig.file(log.toString(), "logs:a"), settings, metrics);
        source.discover();
        source.start(Map.of(), 0);
        source.poll(0, scratch, window, sink); // "first" fills the window; "ERROR boom" waits for continuation lines
        append(log, "\tat A.b(A.java:1)", "\tat A.c(A.java:2)", "next");

        source.poll(5 * SECOND, scratch, window, sink); // longer than multilineTimeout, but nothing could be read
        for (long t = 6; t < 20; t++) {
            kafkaAcknowledgesEverything();
            source.poll(t * SECOND, scratch, window, sink);
        }

        // The stack trace was once shipped as "ERROR boom" and two records of one "at" line each.
        assertThat(texts()).containsExactly("first", "ERROR boom\n\tat A.b(A.java:1)\n\tat A.c(A.java:2)", "next");
    }

    @Test
    void shouldNotSplitAPartialLineWhileKafkaStalls() throws Exception {
        Path log = dir.resolve("app.log");
        appendRaw(log, "first\npart".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        InFlightWindow two = new InFlightWindow(2, 1 << 20, () -> { });
        Tail.RecordSink twoSink = sink((tail, generation, record) -> two.acquire(1));
        FileSource source = new FileSource(SourceConfig.file(log.toString(), "logs:a").withMultiline(MultilineRule.none()),
                settings, metrics);
        source.discover();
        source.start(Map.of(), 0);
        source.poll(0, scratch, two, twoSink); // "first" in flight, "part" waits for its line end
        two.acquire(1); // another source's record fills the window: Kafka stalls from here
        append(log, "ial line");

        source.poll(10 * SECOND, scratch, two, twoSink); // longer than partialLineTimeout, but nothing could be read
        two.release(1);
        two.release(1);
        source.poll(11 * SECOND, scratch, two, twoSink);

        // The partial line was once shipped as "part" and its rest as "ial line".
        assertThat(texts()).containsExactly("first", "partial line");
    }
}
