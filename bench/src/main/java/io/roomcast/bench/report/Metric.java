package io.roomcast.bench.report;

/**
 * One row of a result table.
 *
 * @param key    stable name in the JSON results
 * @param label  what the table shows
 * @param unit   how values are printed ({@code ms}, {@code /s}, {@code MB}, ...)
 * @param better {@code higher}, {@code lower} or {@code none}, so readers know which way a ratio is good
 */
public record Metric(String key, String label, String unit, String better) {
    public static Metric higher(String key, String label, String unit) {
        return new Metric(key, label, unit, "higher");
    }

    public static Metric lower(String key, String label, String unit) {
        return new Metric(key, label, unit, "lower");
    }

    public static Metric info(String key, String label, String unit) {
        return new Metric(key, label, unit, "none");
    }
}
