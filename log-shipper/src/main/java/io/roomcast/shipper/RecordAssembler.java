package io.roomcast.shipper;

import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * Joins {@link Line}s into {@link RawRecord}s by a {@link MultilineRule}.
 *
 * <p>A record is held until a line arrives that does not continue it, or until the owner calls
 * {@link #flush} (the multiline timeout, the end of a rotated file). Blank lines are never
 * records of their own; they are skipped. A record stops growing at the rule's line limit or when
 * its text would no longer fit its event as encoded (JSON-escaped UTF-8, {@link EventEncoder#jsonLength});
 * the next line then starts a new record, so nothing is dropped.
 *
 * <p>Not thread-safe: one per input, used by the shipper thread.
 */
final class RecordAssembler {
    /** The line break between joined lines, as it is encoded ({@code \n}). */
    private static final long NEWLINE_BYTES = EventEncoder.jsonLength("\n");

    private final MultilineRule rule;
    private StringBuilder text;
    /** The pending text's size in its event; see {@link EventEncoder#jsonLength}. */
    private long textBytes;
    /** The most {@link #textBytes} the pending record's event has room for; -1 until a second line asks. */
    private int maxTextBytes;
    private long start;
    private long end;
    private long firstLineNo;
    private int lines;
    private long lastLineNo;
    private int malformed;
    private boolean truncated;
    private long pendingSinceNanos;

    RecordAssembler(MultilineRule rule) {
        this.rule = rule;
    }

    /**
     * Adds a line; {@code lineNo} is its 1-based number or 0 when unknown. {@code budget} tells, for a record
     * that has only its first line so far, how many bytes its text may take in its event: asked only when a second
     * line could join, since the event's other fields depend on the first line.
     */
    void accept(Line line, long lineNo, long nowNanos, ToIntFunction<RawRecord> budget, Consumer<RawRecord> out) {
        if (line.isBlank()) {
            return;
        }
        boolean joins = text != null && lines < rule.maxLines() && rule.continues(line.text());
        long joinedBytes = 0;
        if (joins) {
            if (maxTextBytes < 0) {
                maxTextBytes = budget.applyAsInt(pending());
            }
            joinedBytes = textBytes + NEWLINE_BYTES + EventEncoder.jsonLength(line.text());
            joins = joinedBytes <= maxTextBytes;
        }
        if (joins) {
            text.append('\n').append(line.text());
            textBytes = joinedBytes;
            end = line.end();
            lines++;
            lastLineNo = lineNo;
            malformed += line.malformed();
            truncated |= line.truncatedBytes() > 0;
            return;
        }
        flush(out);
        text = new StringBuilder(line.text());
        textBytes = EventEncoder.jsonLength(line.text());
        maxTextBytes = -1;
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
        RawRecord record = pending();
        text = null;
        out.accept(record);
    }

    private RawRecord pending() {
        return new RawRecord(text.toString(), start, end, firstLineNo, lastLineNo, malformed, truncated);
    }

    /** Drops the pending record (the input is being re-read from an earlier position). */
    void reset() {
        text = null;
    }
}
