package io.roomcast.shipper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

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
        registry.gauge("roomcast.shipper.files.open", openFiles);
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    void gaugeInFlight(Supplier<Number> records, Supplier<Number> bytes) {
        io.micrometer.core.instrument.Gauge.builder("roomcast.shipper.inflight.records", records).register(registry);
        io.micrometer.core.instrument.Gauge.builder("roomcast.shipper.inflight.bytes", bytes).register(registry);
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
