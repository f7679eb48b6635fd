package io.roomcast.shipper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.roomcast.shipper.ShipperFixture.appendRaw;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Line numbers (the event's {@code source.lineNo}, the {@code ln} header a restart resumes with) stay those of the
 * file when a partial line waited too long for its line end and was shipped in two records. Driven on the shipper
 * thread's own calls with a made-up clock.
 */
class ShipperLineNumbersTest {
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    private final ShipperSettings settings = ShipperSettings.defaults().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1));
    private final InFlightWindow window = new InFlightWindow(100, 1 << 20, () -> { });
    private final List<RawRecord> shipped = new ArrayList<>();
    private final Tail.RecordSink sink = new Tail.RecordSink() {
        @Override
        public void ship(Tail tail, int generation, RawRecord record, HeadFingerprint head) {
            shipped.add(record);
            tail.acknowledged(generation, record.end());
        }

        @Override
        public int maxTextBytes(Tail tail, RawRecord first) {
            return 1 << 20;
        }
    };
    private final byte[] scratch = new byte[64 * 1024];

    @Test
    void shouldNumberTheRestOfAFlushedPartialLineAsTheSameLine() throws Exception {
        Path log = dir.resolve("app.log");
        appendRaw(log, "one\npart".getBytes(StandardCharsets.UTF_8));
        FileSource source = new FileSource(SourceConfig.file(log.toString(), "logs:a").withMultiline(MultilineRule.none()),
                settings, new ShipperMetrics(new SimpleMeterRegistry()));
        source.discover();
        source.start(Map.of(), 0);
        source.poll(0, scratch, window, sink);
        source.poll(2 * SECOND, scratch, window, sink); // "part" waited longer than partialLineTimeout: shipped as it is
        appendRaw(log, "ial\nthree\n".getBytes(StandardCharsets.UTF_8));
        source.poll(3 * SECOND, scratch, window, sink);

        assertThat(shipped).extracting(RawRecord::text).containsExactly("one", "part", "ial", "three");
        // The rest of line 2 was numbered 3, and every later line one too many.
        assertThat(shipped).extracting(RawRecord::firstLineNo).containsExactly(1L, 2L, 2L, 3L);
        assertThat(shipped).extracting(RawRecord::lastLineNo).containsExactly(1L, 2L, 2L, 3L);
    }
}
