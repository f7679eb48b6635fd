package io.roomcast.shipper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The shipper's Micrometer meters, all named {@code roomcast.shipper.*} (see docs/log-shipper.md
 * for the list). Thread-safe.
 */
final class ShipperMetrics {
    private final MeterRegistry registry;
    private final Counter lines;
    private final Counter linesTruncated;
    private final Counter utf8Malformed;
    private final Counter recordsCut;
    private final Counter recordsAcked;
    private final Counter sendFailures;
    private final Counter resyncs;
    private final Counter filesOpened;
    private final Counter filesTruncated;
    private final Counter filesReplaced;
    private final Counter filesSkipped;
    private final Counter sourcesMissing;
    private final Counter readErrors;
    private final AtomicInteger openFiles = new AtomicInteger();
    private final List<Meter> gauges = new ArrayList<>();

    ShipperMetrics(MeterRegistry registry) {
        this.registry = registry;
        lines = counter("roomcast.shipper.lines", "lines read");
        linesTruncated = counter("roomcast.shipper.lines.truncated", "lines cut at maxLineBytes");
        utf8Malformed = counter("roomcast.shipper.utf8.malformed", "invalid UTF-8 sequences replaced by U+FFFD");
        recordsCut = counter("roomcast.shipper.records.truncated", "records cut at maxEventBytes");
        recordsAcked = counter("roomcast.shipper.records", "records acknowledged by Kafka");
        sendFailures = counter("roomcast.shipper.send.failures", "records Kafka did not acknowledge");
        resyncs = counter("roomcast.shipper.resyncs", "re-synchronisations with the positions stored in Kafka");
        filesOpened = counter("roomcast.shipper.files.opened", "files started");
        filesTruncated = counter("roomcast.shipper.files.truncated", "files found truncated or rewritten");
        filesReplaced = counter("roomcast.shipper.files.gone", "files that left their pattern (rotated, deleted)");
        filesSkipped = counter("roomcast.shipper.files.skipped", "files not followed because of maxOpenFiles");
        sourcesMissing = counter("roomcast.shipper.sources.missing", "times a pattern's directory was found missing");
        readErrors = counter("roomcast.shipper.read.errors", "errors reading files or listing directories");
        gauges.add(Gauge.builder("roomcast.shipper.files.open", openFiles, AtomicInteger::get)
                .description("files followed now").register(registry));
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    void gaugeInFlight(Supplier<Number> records, Supplier<Number> bytes) {
        gauges.add(Gauge.builder("roomcast.shipper.inflight.records", records)
                .description("records sent and not yet acknowledged").register(registry));
        gauges.add(Gauge.builder("roomcast.shipper.inflight.bytes", bytes)
                .description("bytes sent and not yet acknowledged").register(registry));
    }

    /** Removes the gauges, which point at this shipper, so that a later shipper can register its own. */
    void close() {
        gauges.forEach(registry::remove);
    }

    void lineRead(Line line) {
        lines.increment();
        if (line.truncatedBytes() > 0) {
            linesTruncated.increment();
        }
        if (line.malformed() > 0) {
            utf8Malformed.increment(line.malformed());
        }
    }

    void recordCut() {
        recordsCut.increment();
    }

    void recordAcked() {
        recordsAcked.increment();
    }

    void sendFailed() {
        sendFailures.increment();
    }

    void resynced() {
        resyncs.increment();
    }

    void fileOpened() {
        filesOpened.increment();
        openFiles.incrementAndGet();
    }

    void fileClosed() {
        openFiles.decrementAndGet();
    }

    void fileTruncated() {
        filesTruncated.increment();
    }

    void fileGone() {
        filesReplaced.increment();
    }

    void fileSkipped() {
        filesSkipped.increment();
    }

    void sourceMissing() {
        sourcesMissing.increment();
    }

    void readError() {
        readErrors.increment();
    }
}
