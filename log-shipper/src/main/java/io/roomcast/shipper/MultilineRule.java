package io.roomcast.shipper;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How lines join into one log record.
 *
 * <ul>
 *   <li>{@link Match#CONTINUATION}: a line matching {@code pattern} continues the previous record;
 *       any other line starts a new one. The {@linkplain #java() default} recognises Java,
 *       Kotlin and Python stack traces and indented continuation lines.</li>
 *   <li>{@link Match#START}: a line matching {@code pattern} starts a new record; any other
 *       line continues the previous one (for example {@code ^\d{4}-\d{2}-\d{2}} for logs whose
 *       records all begin with a date).</li>
 *   <li>{@link Match#NONE}: every line is a record of its own.</li>
 * </ul>
 *
 * A record never exceeds {@code maxLines} lines; a longer one is split into several records, so
 * no line is dropped. Immutable and thread-safe.
 *
 * @param pattern  the pattern (ignored for {@code NONE})
 * @param match    how the pattern is applied
 * @param maxLines the most lines in one record, 1..100000
 */
public record MultilineRule(Pattern pattern, Match match, int maxLines) {
    /** How {@link #pattern} is applied. */
    public enum Match { CONTINUATION, START, NONE }

    /** The default continuation pattern: indented lines, stack-trace headers and trailers. */
    public static final String JAVA_PATTERN = "^[ \\t]+\\S"
            + "|^(Caused by|Suppressed|Wrapped by): "
            + "|^\\.\\.\\. \\d+ (more|common frames omitted)"
            + "|^Exception in thread \""
            + "|^Traceback \\(most recent call last\\):"
            + "|^([a-zA-Z_$][\\w$]*\\.)*[A-Z][\\w$]*(Exception|Error|Throwable)(: .*)?$";

    public static final int DEFAULT_MAX_LINES = 500;

    public MultilineRule {
        Objects.requireNonNull(match, "match");
        if (match != Match.NONE) {
            Objects.requireNonNull(pattern, "pattern");
        }
        if (maxLines < 1 || maxLines > 100_000) {
            throw new IllegalArgumentException("maxLines must be 1..100000, was " + maxLines);
        }
    }

    /** Stack traces and indented lines continue the record before them. */
    public static MultilineRule java() {
        return new MultilineRule(Pattern.compile(JAVA_PATTERN), Match.CONTINUATION, DEFAULT_MAX_LINES);
    }

    /** Every line is a record. */
    public static MultilineRule none() {
        return new MultilineRule(null, Match.NONE, 1);
    }

    /**
     * A rule from text, as given on the command line or in a config file.
     *
     * @throws IllegalArgumentException with a readable message if the pattern or mode is invalid
     */
    public static MultilineRule of(String pattern, String match, int maxLines) {
        Match mode;
        try {
            mode = Match.valueOf(match.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("match must be continuation, start or none, was '" + match + "'");
        }
        if (mode == Match.NONE) {
            return none();
        }
        if (pattern == null || pattern.isEmpty()) {
            throw new IllegalArgumentException("a pattern is required for match " + match);
        }
        try {
            return new MultilineRule(Pattern.compile(pattern), mode, maxLines);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid pattern: " + e.getDescription() + " near index " + e.getIndex() + " in '" + pattern + "'");
        }
    }

    /** Whether {@code line} belongs to the record that is open before it. */
    boolean continues(String line) {
        return switch (match) {
            case NONE -> false;
            case CONTINUATION -> pattern.matcher(line).find();
            case START -> !pattern.matcher(line).find();
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultilineRule r && r.match == match && r.maxLines == maxLines
                && Objects.equals(patternText(), r.patternText());
    }

    @Override
    public int hashCode() {
        return Objects.hash(match, maxLines, patternText());
    }

    private String patternText() {
        return pattern == null ? null : pattern.pattern();
    }
}
