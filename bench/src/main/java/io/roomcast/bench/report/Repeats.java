package io.roomcast.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What several runs of one system say together: per metric the median of the runs that have a
 * number, and their range. A metric no run has a number for keeps the first run's text ("n/a ...").
 */
public final class Repeats {
    private Repeats() {
    }

    /**
     * @param medians per metric the median (or the first text when no run has a number)
     * @param ranges  per numeric metric {@code [min, max]} over the runs
     * @param gaps    metrics some runs had no number for, with how many had one ({@code "p99: 2 of 3 runs"})
     */
    public record Summary(Map<String, Object> medians, Map<String, List<Double>> ranges, List<String> gaps) {
    }

    public static Summary of(List<Map<String, Object>> runs) {
        Set<String> keys = new LinkedHashSet<>();
        runs.forEach(r -> keys.addAll(r.keySet()));
        Map<String, Object> medians = new LinkedHashMap<>();
        Map<String, List<Double>> ranges = new LinkedHashMap<>();
        List<String> gaps = new ArrayList<>();
        for (String key : keys) {
            List<Double> numbers = new ArrayList<>();
            Object firstText = null;
            for (Map<String, Object> r : runs) {
                Object v = r.get(key);
                if (v instanceof Double d && !Double.isNaN(d)) {
                    numbers.add(d);
                } else if (firstText == null && v != null) {
                    firstText = v;
                }
            }
            if (numbers.isEmpty()) {
                medians.put(key, firstText);
                continue;
            }
            medians.put(key, median(numbers));
            ranges.put(key, List.of(numbers.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                    numbers.stream().mapToDouble(Double::doubleValue).max().orElseThrow()));
            if (numbers.size() < runs.size()) {
                gaps.add(key + ": " + numbers.size() + " of " + runs.size() + " runs" + (firstText == null ? "" : " (" + firstText + ")"));
            }
        }
        return new Summary(medians, ranges, gaps);
    }

    /** The middle value; the mean of the two middle ones for an even count. */
    public static double median(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        List<Double> sorted = values.stream().sorted().toList();
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }
}
