package io.roomcast.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the clients of one {@link LoadGroup} measured: publish-to-receive latency (µs) of normal
 * and of slow clients, per-client catch-up times of a reconnect (µs), counts. Written by loop
 * threads, read by the command thread; the recorders hand out interval histograms.
 */
public final class LoadStats {
    private static final int MAX_REASONS = 32;

    final Recorder latency = new Recorder(3);
    final Recorder slowLatency = new Recorder(3);
    final Recorder catchup = new Recorder(3);
    final LongAdder events = new LongAdder();
    final LongAdder slowEvents = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final AtomicInteger ready = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger closedByServer = new AtomicInteger();
    final AtomicInteger caughtUp = new AtomicInteger();
    final AtomicInteger notRecovered = new AtomicInteger();
    private final Map<String, LongAdder> reasons = new ConcurrentHashMap<>();

    void reason(String reason) {
        String key = reason == null ? "unknown" : reason.length() > 120 ? reason.substring(0, 120) : reason;
        LongAdder n = reasons.get(key);
        if (n == null) {
            if (reasons.size() >= MAX_REASONS) {
                key = "other";
            }
            n = reasons.computeIfAbsent(key, k -> new LongAdder());
        }
        n.increment();
    }

    public long events() {
        return events.sum();
    }

    public long slowEvents() {
        return slowEvents.sum();
    }

    public long duplicates() {
        return duplicates.sum();
    }

    public int closedByServer() {
        return closedByServer.get();
    }

    /** Latencies of normal clients since the last call. */
    public Histogram takeLatency() {
        return latency.getIntervalHistogram();
    }

    public Histogram takeSlowLatency() {
        return slowLatency.getIntervalHistogram();
    }

    public Histogram takeCatchup() {
        return catchup.getIntervalHistogram();
    }

    public Map<String, Long> reasons() {
        Map<String, Long> copy = new TreeMap<>();
        reasons.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    static void record(Recorder r, long micros) {
        r.recordValue(Math.max(0, micros));
    }
}
