package io.roomcast.shipper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Standard input as a source. Its identity ({@code stdin:<random session id>}) is new in every
 * process, so records are exactly-once while the shipper runs (a failed send is repeated from
 * the retained bytes) but what was read and not yet acknowledged when the process dies is lost:
 * a pipe cannot be re-read. Driven by the shipper thread.
 */
final class StdinSource implements LogSource {
    private static final Logger log = LoggerFactory.getLogger(StdinSource.class);

    private final SourceConfig config;
    private final ShipperSettings settings;
    private final ShipperMetrics metrics;
    private final StdinInput input;
    private final FileIdentity identity = new FileIdentity("stdin:" + UUID.randomUUID());
    private Tail tail;
    private boolean flushedAtEnd;

    StdinSource(SourceConfig config, ShipperSettings settings, ShipperMetrics metrics, InputStream in) {
        this.config = config;
        this.settings = settings;
        this.metrics = metrics;
        this.input = new StdinInput(in, settings.maxInFlightBytes() + 4L * settings.maxLineBytes());
    }

    @Override
    public SourceConfig config() {
        return config;
    }

    @Override
    public Set<FileIdentity> discover() {
        return Set.of();
    }

    @Override
    public void start(Map<FileIdentity, ShippedPosition> shipped, long nowNanos) {
        tail = new Tail(identity, "<stdin>", input, settings, config.multiline(), metrics, 0, 0, nowNanos);
        log.atInfo().addKeyValue("room", config.room()).addKeyValue("identity", identity).log("shipping stdin");
    }

    @Override
    public void rescan(long nowNanos, Tail.RecordSink sink) {
        // stdin has nothing to discover
    }

    @Override
    public boolean poll(long nowNanos, byte[] scratch, InFlightWindow window, Tail.RecordSink sink) {
        if (tail == null || flushedAtEnd) {
            return false;
        }
        boolean progress = false;
        try {
            while (window.hasRoom()) {
                int n = tail.read(scratch, window, nowNanos, sink);
                if (n <= 0) {
                    break;
                }
                progress = true;
            }
        } catch (IOException e) {
            metrics.readError();
            log.atError().addKeyValue("room", config.room()).addKeyValue("error", e.toString()).log("cannot read stdin buffer");
            flushedAtEnd = true;
            return false;
        }
        tail.flushIdle(nowNanos, window, sink);
        if (input.endedAt(tail.readPosition())) {
            tail.flushAll(nowNanos, sink);
            flushedAtEnd = true;
            log.atInfo().addKeyValue("room", config.room()).addKeyValue("bytes", tail.readPosition()).log("stdin ended");
        }
        return progress;
    }

    @Override
    public Collection<Tail> tails() {
        return tail == null ? List.of() : List.of(tail);
    }

    @Override
    public void resync(Map<FileIdentity, ShippedPosition> shipped) {
        if (tail == null) {
            return;
        }
        ShippedPosition position = shipped.get(identity);
        tail.resync(position == null ? 0 : position.position(), position == null ? 0 : position.lineNo());
        flushedAtEnd = false;
    }

    @Override
    public boolean finished() {
        return flushedAtEnd && tail.drained();
    }

    @Override
    public void close() {
        try {
            input.close();
            input.join(1_000);
        } catch (IOException e) {
            log.atDebug().addKeyValue("error", e.toString()).log("closing stdin failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
