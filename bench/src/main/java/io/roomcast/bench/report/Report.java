package io.roomcast.bench.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results of one scenario run: parameters, the environment, and per system a value (a number,
 * or a text saying why there is none) for each metric. The first system is Roomcast; the table
 * shows the others as ratios to it.
 *
 * <p>Thread-safety: not thread-safe; filled by the scenario's thread.
 */
public final class Report {
    private final String scenario;
    private final Instant started = Instant.now();
    private final Map<String, Object> params = new LinkedHashMap<>();
    private final Map<String, Object> environment = new LinkedHashMap<>();
    private final List<Metric> metrics = new ArrayList<>();
    private final Map<String, Map<String, Object>> values = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    public Report(String scenario) {
        this.scenario = scenario;
    }

    public String scenario() {
        return scenario;
    }

    public Instant started() {
        return started;
    }

    public Report param(String key, Object value) {
        params.put(key, value);
        return this;
    }

    public Map<String, Object> params() {
        return params;
    }

    public Map<String, Object> environment() {
        return environment;
    }

    public Report metrics(Metric... ms) {
        metrics.addAll(List.of(ms));
        return this;
    }

    public List<Metric> metrics() {
        return metrics;
    }

    public void system(String system) {
        values.computeIfAbsent(system, s -> new LinkedHashMap<>());
    }

    public void put(String system, String metric, double value) {
        values.computeIfAbsent(system, s -> new LinkedHashMap<>()).put(metric, value);
    }

    /** A value that is not a number: why the system has none ("n/a: ..."). */
    public void text(String system, String metric, String text) {
        values.computeIfAbsent(system, s -> new LinkedHashMap<>()).put(metric, text);
    }

    /** Every metric of {@code system} not set yet gets {@code text}. */
    public void fillMissing(String system, String text) {
        Map<String, Object> v = values.computeIfAbsent(system, s -> new LinkedHashMap<>());
        for (Metric m : metrics) {
            v.putIfAbsent(m.key(), text);
        }
    }

    public Map<String, Map<String, Object>> values() {
        return values;
    }

    public void note(String note) {
        notes.add(note);
    }

    public List<String> notes() {
        return notes;
    }
}
