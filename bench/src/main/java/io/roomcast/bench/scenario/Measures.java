package io.roomcast.bench.scenario;

import io.roomcast.bench.report.Metric;
import io.roomcast.bench.report.Report;
import io.roomcast.bench.target.Target;
import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Map;

/** Metric rows several scenarios share: latency percentiles, server CPU and memory. */
final class Measures {
    static final String NO_KAFKA = "n/a (no Kafka)";

    private Measures() {
    }

    static Metric[] latencyMetrics(String prefix, String what) {
        return new Metric[]{
                Metric.lower(prefix + "P50Ms", what + " p50", "ms"),
                Metric.lower(prefix + "P99Ms", what + " p99", "ms"),
                Metric.lower(prefix + "P999Ms", what + " p99.9", "ms"),
                Metric.lower(prefix + "MaxMs", what + " max", "ms")};
    }

    /** Percentiles of a histogram of microseconds, in milliseconds. */
    static void latency(Report r, String system, String prefix, Histogram h) {
        if (h.getTotalCount() == 0) {
            for (String p : new String[]{"P50Ms", "P99Ms", "P999Ms", "MaxMs"}) {
                r.text(system, prefix + p, "no samples");
            }
            return;
        }
        r.put(system, prefix + "P50Ms", h.getValueAtPercentile(50) / 1000.0);
        r.put(system, prefix + "P99Ms", h.getValueAtPercentile(99) / 1000.0);
        r.put(system, prefix + "P999Ms", h.getValueAtPercentile(99.9) / 1000.0);
        r.put(system, prefix + "MaxMs", h.getMaxValue() / 1000.0);
    }

    static Metric[] cpuMetrics() {
        return new Metric[]{
                Metric.lower("frontCpuS", "edge / peer server CPU", "s"),
                Metric.lower("kafkaCpuS", "Kafka broker CPU", "s"),
                Metric.lower("serverCpuS", "server CPU total", "s"),
                Metric.info("loadCpuS", "load generator CPU", "s")};
    }

    static void cpu(Report r, String system, CpuWindow w) {
        r.put(system, "frontCpuS", w.front());
        if (Double.isNaN(w.role("kafka"))) {
            r.text(system, "kafkaCpuS", system.equals("roomcast") ? "n/a (external broker)" : NO_KAFKA);
        } else {
            r.put(system, "kafkaCpuS", w.role("kafka"));
        }
        r.put(system, "serverCpuS", w.total());
        r.put(system, "loadCpuS", w.load());
    }

    static Metric kafkaPerEventsMetric() {
        return Metric.lower("kafkaCpuMsPer1kEvents", "Kafka broker CPU per 1,000 events published", "ms");
    }

    /** Kafka's CPU over the window per 1,000 events published in it, in milliseconds. */
    static void kafkaPerEvents(Report r, String system, CpuWindow w, double eventsPublished) {
        if (Double.isNaN(w.role("kafka"))) {
            r.text(system, "kafkaCpuMsPer1kEvents", system.equals("roomcast") ? "n/a (external broker)" : NO_KAFKA);
        } else if (eventsPublished > 0) {
            r.put(system, "kafkaCpuMsPer1kEvents", w.role("kafka") * 1000 / (eventsPublished / 1000));
        }
    }

    /** The edge's CPU per delivery by thread: IO threads, live thread, JIT, GC and the rest (Roomcast only). */
    static Metric[] edgeThreadMetrics() {
        return new Metric[]{
                Metric.info("edgeIoUs", "edge CPU per delivery: IO threads (writes)", "µs"),
                Metric.info("edgeLiveUs", "edge CPU per delivery: live thread (Kafka consumer, dispatch)", "µs"),
                Metric.info("edgeJitUs", "edge CPU per delivery: JIT compilers", "µs"),
                Metric.info("edgeGcUs", "edge CPU per delivery: garbage collector", "µs"),
                Metric.info("edgeOtherUs", "edge CPU per delivery: other threads", "µs")};
    }

    /** Where the edge's CPU went in the window, per delivery, by thread (read from /proc); n/a for the peers. */
    static void edgeThreads(Report r, String system, CpuWindow w, double deliveries) {
        Map<String, Double> micros = edgeThreadMicros(w.frontThreads(), deliveries);
        for (Metric m : edgeThreadMetrics()) {
            if (micros.isEmpty()) {
                r.text(system, m.key(), system.equals("roomcast") ? "n/a" : "n/a (not a Roomcast edge)");
            } else {
                r.put(system, m.key(), micros.get(m.key()));
            }
        }
    }

    /**
     * The edge's thread groups' CPU seconds as microseconds per delivery, by the keys of
     * {@link #edgeThreadMetrics()}; empty when these are not an edge's threads (no XNIO IO thread) or nothing was delivered.
     */
    static Map<String, Double> edgeThreadMicros(Map<String, Double> seconds, double deliveries) {
        if (deliveries <= 0 || seconds.keySet().stream().noneMatch(g -> g.startsWith("XNIO"))) {
            return Map.of();
        }
        Map<String, Double> micros = new LinkedHashMap<>();
        for (Metric m : edgeThreadMetrics()) {
            micros.put(m.key(), 0.0);
        }
        seconds.forEach((group, s) -> micros.merge(edgeThreadKey(group), s * 1e6 / deliveries, Double::sum));
        return micros;
    }

    private static String edgeThreadKey(String group) {
        if (group.startsWith("XNIO")) {
            return "edgeIoUs";
        }
        if (group.equals("roomcast-live")) {
            return "edgeLiveUs";
        }
        if (group.contains("CompilerThre")) {
            return "edgeJitUs";
        }
        if (group.startsWith("GC Thread") || group.startsWith("G1 ")) {
            return "edgeGcUs";
        }
        return "edgeOtherUs";
    }

    static Metric[] memoryMetrics() {
        return new Metric[]{
                Metric.lower("heapMb", "edge heap after GC (JS heap for peers)", "MB"),
                Metric.lower("rssMb", "edge / peer server RSS under load", "MB"),
                Metric.info("kafkaRssMb", "Kafka broker RSS", "MB")};
    }

    /** RSS now (under load, before the full GC that measuring the heap forces), then heap after GC. */
    static void memory(Report r, String system, Target t) {
        memory(r, system, t, t.rssBytes());
    }

    /** Heap after GC now, with RSS per process role read earlier (at the end of the measured window). */
    static void memory(Report r, String system, Target t, Map<String, Long> rss) {
        r.put(system, "heapMb", t.heapAfterGc() / 1e6);
        r.put(system, "rssMb", rss.getOrDefault("edge", rss.getOrDefault("server", 0L)) / 1e6);
        if (rss.containsKey("kafka")) {
            r.put(system, "kafkaRssMb", rss.get("kafka") / 1e6);
        } else {
            r.text(system, "kafkaRssMb", system.equals("roomcast") ? "n/a (external broker)" : NO_KAFKA);
        }
    }
}
