package io.roomcast.bench.fuzz;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a fuzz run did and what came back: frames and records sent by kind, error codes and close
 * codes from the edge, connections, and failures. Thread-safe.
 */
public final class FuzzTally {
    private final Map<String, LongAdder> sent = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> closes = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

    void sent(String kind, long frames) {
        sent.computeIfAbsent(kind, k -> new LongAdder()).add(frames);
    }

    void error(String code) {
        errors.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    void closed(String code) {
        closes.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    /** Something that must not happen (or that only the report can judge): named, counted. */
    void failure(String what) {
        failures.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    public long sentTotal() {
        return sent.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public Map<String, Long> sent() {
        return snapshot(sent);
    }

    /** Error frames by code. */
    public Map<String, Long> errors() {
        return snapshot(errors);
    }

    /** Connection ends by close code ({@code eof} = closed without a close frame, {@code refused:NNN} = HTTP status at the handshake). */
    public Map<String, Long> closes() {
        return snapshot(closes);
    }

    public Map<String, Long> failures() {
        return snapshot(failures);
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    @Override
    public String toString() {
        return "sent " + sent() + ", errors " + errors() + ", closes " + closes() + ", failures " + failures();
    }
}
