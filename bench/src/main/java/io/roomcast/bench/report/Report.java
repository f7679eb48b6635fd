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
    private final Map<String, List<Map<String, Object>>> runs = new LinkedHashMap<>();
    private final Map<String, Map<String, List<Double>>> ranges = new LinkedHashMap<>();

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

    /** Closes one run of {@code system}: the values put so far become that run's, and the next run starts empty. */
    public void endRun(String system) {
        Map<String, Object> v = values.computeIfAbsent(system, s -> new LinkedHashMap<>());
        runs.computeIfAbsent(system, s -> new ArrayList<>()).add(new LinkedHashMap<>(v));
        v.clear();
    }

    /**
     * Replaces the values of every system with closed runs by the median over its runs, keeping
     * each metric's range; called once, when the scenario is done.
     */
    public void summarize() {
        runs.forEach((system, list) -> {
            Repeats.Summary s = Repeats.of(list);
            Map<String, Object> v = values.get(system);
            v.putAll(s.medians());
            ranges.put(system, s.ranges());
            if (list.size() > 1) {
                s.gaps().forEach(g -> note(system + ": no number in every run for " + g));
            }
        });
    }

    /** Each closed run's values, per system (one entry per run). */
    public Map<String, List<Map<String, Object>>> runs() {
        return runs;
    }

    /** Per system and metric {@code [min, max]} over its runs, once {@link #summarize()} ran. */
    public Map<String, Map<String, List<Double>>> ranges() {
        return ranges;
    }

    /** The most runs any system had. */
    public int runCount() {
        return runs.values().stream().mapToInt(List::size).max().orElse(1);
    }

    /** Adds a note unless the same note is there already (repeated runs tend to say the same thing). */
    public void note(String note) {
        if (!notes.contains(note)) {
            notes.add(note);
        }
    }

    public List<String> notes() {
        return notes;
    }
}
