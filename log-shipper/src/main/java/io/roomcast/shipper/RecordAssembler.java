package io.roomcast.shipper;

import java.util.function.Consumer;

/**
 * Joins {@link Line}s into {@link RawRecord}s by a {@link MultilineRule}.
 *
 * <p>A record is held until a line arrives that does not continue it, or until the owner calls
 * {@link #flush} (the multiline timeout, the end of a rotated file). Blank lines are never
 * records of their own; they are skipped. A record stops growing at the rule's line limit or at
 * {@code maxChars}; the next line then starts a new record, so nothing is dropped.
 *
 * <p>Not thread-safe: one per input, used by the shipper thread.
 */
final class RecordAssembler {
    private final MultilineRule rule;
    private final int maxChars;
    private StringBuilder text;
    private long start;
    private long end;
    private long firstLineNo;
    private int lines;
    private long lastLineNo;
    private int malformed;
    private boolean truncated;
    private long pendingSinceNanos;

    RecordAssembler(MultilineRule rule, int maxChars) {
        this.rule = rule;
        this.maxChars = maxChars;
    }

    /** Adds a line; {@code lineNo} is its 1-based number or 0 when unknown. */
    void accept(Line line, long lineNo, long nowNanos, Consumer<RawRecord> out) {
        if (line.isBlank()) {
            return;
        }
        boolean joins = text != null && lines < rule.maxLines()
                && text.length() + 1 + line.text().length() <= maxChars
                && rule.continues(line.text());
        if (joins) {
            text.append('\n').append(line.text());
            end = line.end();
            lines++;
            lastLineNo = lineNo;
            malformed += line.malformed();
            truncated |= line.truncatedBytes() > 0;
            return;
        }
        flush(out);
        text = new StringBuilder(line.text());
        start = line.start();
        end = line.end();
        firstLineNo = lineNo;
        lines = 1;
        lastLineNo = lineNo;
        malformed = line.malformed();
        truncated = line.truncatedBytes() > 0;
        pendingSinceNanos = nowNanos;
        if (rule.match() == MultilineRule.Match.NONE) {
            flush(out);
        }
    }

    boolean hasPending() {
        return text != null;
    }

    /** When the pending record's first line arrived ({@link System#nanoTime()} scale). */
    long pendingSinceNanos() {
        return pendingSinceNanos;
    }

    /** Emits the pending record, if any. */
    void flush(Consumer<RawRecord> out) {
        if (text == null) {
            return;
        }
        RawRecord record = new RawRecord(text.toString(), start, end, firstLineNo, lastLineNo, malformed, truncated);
        text = null;
        out.accept(record);
    }

    /** Drops the pending record (the input is being re-read from an earlier position). */
    void reset() {
        text = null;
    }
}
