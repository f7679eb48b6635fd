package io.roomcast.shipper;

import java.io.IOException;

/**
 * Follows one input (a file or stdin): reads bytes at its position, splits them into lines,
 * joins lines into records and hands each record to a {@link RecordSink} together with the
 * position after it. Flushes a pending multiline record after {@code multilineTimeout} without
 * new bytes, and a partial last line after {@code partialLineTimeout}.
 *
 * <p>Threading: all methods run on the shipper thread except {@link #acknowledged}, which the
 * Kafka producer's callback thread calls; positions acknowledged per input arrive in order.
 */
final class Tail {
    /** Receives the records of a tail. */
    interface RecordSink {
        /** Ships a record; {@code generation} is passed back to {@link #acknowledged}. */
        void ship(Tail tail, int generation, RawRecord record, HeadFingerprint head);

        /**
         * How many bytes the text of a record that starts as {@code first} may take JSON-encoded for its event to fit
         * the record size limit uncut; lines beyond it go into the next record.
         */
        int maxTextBytes(Tail tail, RawRecord first);
    }

    private final FileIdentity identity;
    private final ByteInput input;
    private final LineSplitter lines;
    private final RecordAssembler records;
    private final long multilineTimeoutNanos;
    private final long partialLineTimeoutNanos;
    private final ShipperMetrics metrics;
    private volatile String name;
    private long lineNo;
    private boolean lineNoKnown;
    private long lastDataNanos;
    private HeadFingerprint fullHead;
    private volatile int generation;
    private volatile long acknowledgedPosition;
    /**
     * Where the last record handed to the sink ends (the shipper thread's). Blank lines after it are no records, so no
     * acknowledgement ever reaches the read position over them: being drained is measured against this instead.
     */
    private long shippedEnd;
    /**
     * Where blank lines after the last record were let go ({@link #acknowledgeBlankLines}) and the line number there: no
     * record in Kafka covers them, so a re-sync to Kafka's positions alone would go back before bytes the input no
     * longer has (stdin's buffer).
     */
    private long blankLinesEnd;
    private long blankLinesLineNo;

    Tail(FileIdentity identity, String name, ByteInput input, ShipperSettings settings, MultilineRule rule,
         ShipperMetrics metrics, long position, long lineNo, long nowNanos) {
        this.identity = identity;
        this.name = name;
        this.input = input;
        this.lines = new LineSplitter(settings.maxLineBytes(), position);
        this.records = new RecordAssembler(rule);
        this.multilineTimeoutNanos = settings.multilineTimeout().toNanos();
        this.partialLineTimeoutNanos = settings.partialLineTimeout().toNanos();
        this.metrics = metrics;
        this.lastDataNanos = nowNanos;
        reposition(position, lineNo);
    }

    FileIdentity identity() {
        return identity;
    }

    /** The path (or {@code <stdin>}) written into events. */
    String name() {
        return name;
    }

    void rename(String newName) {
        this.name = newName;
    }

    ByteInput input() {
        return input;
    }

    /** The position after the last byte read. */
    long readPosition() {
        return lines.position();
    }

    long acknowledgedPosition() {
        return acknowledgedPosition;
    }

    /** Whether every record read so far has been acknowledged and nothing is pending (blank lines read need nothing). */
    boolean drained() {
        return !records.hasPending() && !lines.hasPartial() && acknowledgedPosition >= shippedEnd;
    }

    /**
     * Reads and ships what the bytes complete, stopping after the line that fills the window;
     * bytes after it are read again next time.
     *
     * @return the number of bytes consumed
     */
    int read(byte[] scratch, InFlightWindow window, long nowNanos, RecordSink sink) throws IOException {
        int n = input.read(lines.position(), scratch, scratch.length);
        if (n <= 0) {
            return 0;
        }
        lastDataNanos = nowNanos;
        return lines.feed(scratch, 0, n, line -> accept(line, nowNanos, sink), window::hasRoom);
    }

    /**
     * Ships what has waited longer than its timeout. While the window is full reading is paused, and the rest of a
     * partial line or a stack trace may be in the input unread: that time does not count as idle.
     */
    void flushIdle(long nowNanos, InFlightWindow window, RecordSink sink) {
        if (!window.hasRoom()) {
            lastDataNanos = nowNanos;
            return;
        }
        long idle = idleNanos(nowNanos);
        if (lines.hasPartial() && idle >= partialLineTimeoutNanos) {
            lines.flushPartial(line -> accept(line, nowNanos, sink));
        }
        if (records.hasPending() && idle >= multilineTimeoutNanos) {
            flushRecords(sink);
        }
        acknowledgeBlankLines();
    }

    /**
     * Blank lines read after the last record are no record, so no acknowledgement from Kafka ever covers them. Once
     * every record is acknowledged and nothing is pending they need nothing more, and the input may let their bytes go:
     * stdin's bounded buffer would otherwise fill with them and stop the pipe. No record is in flight then, so no
     * acknowledgement races this one.
     */
    private void acknowledgeBlankLines() {
        long read = lines.position();
        if (read > acknowledgedPosition && drained()) {
            acknowledgedPosition = read;
            blankLinesEnd = read;
            blankLinesLineNo = lineNo;
            input.acknowledged(read);
        }
    }

    /** How long the input has had no new bytes while it could be read (see {@link #flushIdle}). */
    long idleNanos(long nowNanos) {
        return nowNanos - lastDataNanos;
    }

    /** Ships everything read, including a partial last line (the input has ended or was truncated). */
    void flushAll(long nowNanos, RecordSink sink) {
        lines.flushPartial(line -> accept(line, nowNanos, sink));
        flushRecords(sink);
    }

    /**
     * Forgets what was read but not shipped and continues after what Kafka holds ({@code position}, the end of the last
     * record found there), or after blank lines let go past it: they need no record, and their bytes may be gone.
     */
    void resync(long position, long lineNoAtPosition) {
        if (blankLinesEnd > position) {
            reposition(blankLinesEnd, blankLinesLineNo);
        } else {
            reposition(position, lineNoAtPosition);
        }
    }

    /** Forgets what was read but not shipped and continues at {@code position}. */
    void reposition(long position, long lineNoAtPosition) {
        lines.reset(position);
        records.reset();
        lineNo = lineNoAtPosition;
        lineNoKnown = lineNoAtPosition > 0 || position == 0;
        acknowledgedPosition = position;
        shippedEnd = position;
        blankLinesEnd = position;
        blankLinesLineNo = lineNoAtPosition;
        if (fullHead != null && position < HeadFingerprint.MAX_LENGTH) {
            fullHead = null;
        }
    }

    /**
     * Forgets what was read but not shipped after the input was truncated, and starts again at
     * its beginning; acknowledgements of records read before are then ignored.
     */
    void restartFromBeginning() {
        generation++;
        reposition(0, 0);
    }

    /** Called once Kafka has acknowledged a record that ends at {@code position}. */
    void acknowledged(int recordGeneration, long position) {
        if (recordGeneration != generation) {
            return;
        }
        acknowledgedPosition = position;
        input.acknowledged(position);
    }

    private void flushRecords(RecordSink sink) {
        records.flush(r -> ship(r, sink));
    }

    private void accept(Line line, long nowNanos, RecordSink sink) {
        if (!line.continuation()) {
            lineNo++;
        }
        metrics.lineRead(line);
        records.accept(line, lineNoKnown ? lineNo : 0, nowNanos, first -> sink.maxTextBytes(this, first), r -> ship(r, sink));
    }

    private void ship(RawRecord record, RecordSink sink) {
        HeadFingerprint head = fullHead;
        if (head == null) {
            try {
                head = input.head(record.end());
            } catch (IOException e) {
                head = null; // shipped without a fingerprint; a restart then trusts the position alone
            }
            if (head != null && head.length() == HeadFingerprint.MAX_LENGTH) {
                fullHead = head;
            }
        }
        shippedEnd = record.end();
        sink.ship(this, generation, record, head);
    }
}
