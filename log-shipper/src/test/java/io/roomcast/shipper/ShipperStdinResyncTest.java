package io.roomcast.shipper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * stdin's buffer lets blank lines go once every record before them is acknowledged (no record ever covers them). A
 * failed send then re-syncs to the positions Kafka holds, which end before those blank lines: the source must go on
 * after them, not back to bytes it no longer has — which used to end stdin there, the rest of the pipe never shipped.
 */
class ShipperStdinResyncTest {
    private final ShipperMetrics metrics = new ShipperMetrics(new SimpleMeterRegistry());
    private final InFlightWindow window = new InFlightWindow(100, 1 << 20, () -> { });
    private final List<String> shipped = new ArrayList<>();
    private final Tail.RecordSink sink = new Tail.RecordSink() {
        @Override
        public void ship(Tail tail, int generation, RawRecord record, HeadFingerprint head) {
            shipped.add(record.text());
            tail.acknowledged(generation, record.end()); // Kafka acknowledges at once
        }

        @Override
        public int maxTextBytes(Tail tail, RawRecord first) {
            return 1 << 20;
        }
    };
    private final byte[] scratch = new byte[64 * 1024];

    @Test
    void shouldGoOnAfterBlankLinesItLetGoWhenKafkaPositionsEndBeforeThem() throws Exception {
        PipedOutputStream pipe = new PipedOutputStream();
        StdinSource source = new StdinSource(SourceConfig.stdin("logs:a").withMultiline(MultilineRule.none()), ShipperSettings.defaults(),
                metrics, new PipedInputStream(pipe, 256 * 1024));
        source.start(Map.of(), 0);
        // more than one of the buffer's 64 KiB chunks of blank lines behind a record, so the chunk is released
        byte[] first = ("a\n" + "\n".repeat(70_000)).getBytes(StandardCharsets.UTF_8);
        pipe.write(first);
        pipe.flush();
        Tail tail = source.tails().iterator().next();
        await().until(() -> {
            source.poll(0, scratch, window, sink);
            return tail.readPosition() == first.length && tail.acknowledgedPosition() == first.length;
        });

        source.resync(Map.of()); // a send failed: Kafka holds no position of this stdin beyond "a" (here: none at all)
        pipe.write("b\n".getBytes(StandardCharsets.UTF_8));
        pipe.flush();
        await().until(() -> {
            source.poll(0, scratch, window, sink);
            return shipped.contains("b") || source.finished();
        });

        assertThat(shipped).containsExactly("a", "b");
        assertThat(source.finished()).isFalse();
        pipe.close();
        source.close();
    }
}
