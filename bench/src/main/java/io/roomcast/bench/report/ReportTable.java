package io.roomcast.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A report as a plain-text table: one row per metric, one column per system, each peer's number
 * followed by its ratio to Roomcast's ({@code 0.62x}).
 */
public final class ReportTable {
    private static final String BASE = "roomcast";

    private ReportTable() {
    }

    public static String render(Report r) {
        List<String> systems = new ArrayList<>(r.values().keySet());
        List<String[]> rows = new ArrayList<>();
        String[] head = new String[systems.size() + 1];
        head[0] = "metric";
        for (int i = 0; i < systems.size(); i++) {
            head[i + 1] = systems.get(i) + (systems.get(i).equals(BASE) || !systems.contains(BASE) ? "" : " (x roomcast)");
        }
        rows.add(head);
        for (Metric m : r.metrics()) {
            String[] row = new String[systems.size() + 1];
            row[0] = m.label() + (m.unit().isEmpty() ? "" : " [" + m.unit() + "]")
                    + (m.better().equals("higher") ? " +" : m.better().equals("lower") ? " -" : "");
            Object base = r.values().getOrDefault(BASE, Map.of()).get(m.key());
            for (int i = 0; i < systems.size(); i++) {
                Object v = r.values().get(systems.get(i)).get(m.key());
                List<Double> range = r.runCount() > 1
                        ? r.ranges().getOrDefault(systems.get(i), Map.of()).get(m.key()) : null;
                row[i + 1] = cell(v, range, systems.get(i).equals(BASE) ? null : base);
            }
            rows.add(row);
        }
        int[] width = new int[head.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        b.append("== ").append(r.scenario()).append(" ").append(r.params()).append('\n');
        if (r.runCount() > 1) {
            b.append("median of ").append(r.runCount()).append(" runs [min..max]\n");
        }
        for (int k = 0; k < rows.size(); k++) {
            String[] row = rows.get(k);
            for (int i = 0; i < row.length; i++) {
                b.append(i == 0 ? String.format("%-" + width[i] + "s", row[i]) : "  " + String.format("%" + width[i] + "s", row[i]));
            }
            b.append('\n');
            if (k == 0) {
                b.append("-".repeat(java.util.Arrays.stream(width).sum() + 2 * (width.length - 1))).append('\n');
            }
        }
        b.append("(+ higher is better, - lower is better)\n");
        for (String note : r.notes()) {
            b.append("note: ").append(note).append('\n');
        }
        return b.toString();
    }

    /** A value, its range over the runs when they differed ({@code [min..max]}) and its ratio to Roomcast's. */
    static String cell(Object v, List<Double> range, Object base) {
        if (v == null) {
            return "";
        }
        if (!(v instanceof Double d)) {
            return v.toString();
        }
        String s = number(d);
        if (range != null && !range.get(0).equals(range.get(1))) {
            s += " [" + number(range.get(0)) + ".." + number(range.get(1)) + "]";
        }
        if (base instanceof Double b && b != 0 && !Double.isNaN(d)) {
            s += String.format(Locale.ROOT, " (%.2fx)", d / b);
        }
        return s;
    }

    /** Numbers with a precision that suits their size. */
    public static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "-";
        }
        double a = Math.abs(d);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", d);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", d);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", d);
        }
        return String.format(Locale.ROOT, "%.2f", d);
    }
}
