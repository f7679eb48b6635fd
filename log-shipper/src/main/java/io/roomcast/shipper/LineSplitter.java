package io.roomcast.shipper;

import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Splits a byte stream into {@link Line}s at {@code \n} (a preceding {@code \r} is dropped),
 * keeping exact byte positions so that a reader can resume after any line.
 *
 * <p>Memory is bounded: a line longer than {@code maxLineBytes} keeps its first
 * {@code maxLineBytes} bytes (cut at a character boundary) followed by a marker
 * {@code " [roomcast: N bytes truncated]"}; the rest up to the line end is skipped without being
 * buffered. Bytes after the last line end are held as a partial line until more arrive or
 * {@link #flushPartial} is called.
 *
 * <p>Not thread-safe: one instance per input, used by the shipper thread.
 */
final class LineSplitter {
    static final String TRUNCATION_MARKER = " [roomcast: %d bytes truncated]";

    private final int maxLineBytes;
    private final Utf8Text utf8 = new Utf8Text();
    private byte[] buffer = new byte[256];
    private int length;
    private long skipped;
    private long lineStart = -1;
    private long position;
    /** A partial line was flushed: the next line emitted is its rest. */
    private boolean restOfFlushed;

    LineSplitter(int maxLineBytes, long position) {
        if (maxLineBytes < 16) {
            throw new IllegalArgumentException("maxLineBytes must be >= 16, was " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
        this.position = position;
    }

    /** The position after the last byte fed. */
    long position() {
        return position;
    }

    /** Whether bytes after the last line end are waiting for their line end. */
    boolean hasPartial() {
        return lineStart >= 0;
    }

    /** Feeds {@code count} bytes that continue the input at {@link #position()}. */
    void feed(byte[] data, int offset, int count, Consumer<Line> out) {
        feed(data, offset, count, out, () -> true);
    }

    /**
     * Feeds bytes that continue the input at {@link #position()}, but stops after a line once
     * {@code more} turns false; the bytes after that line are not consumed.
     *
     * @return how many bytes were consumed
     */
    int feed(byte[] data, int offset, int count, Consumer<Line> out, BooleanSupplier more) {
        int i = offset;
        int end = offset + count;
        while (i < end) {
            if (lineStart < 0) {
                lineStart = position + (i - offset);
            }
            int newline = indexOf(data, i, end);
            int segmentEnd = newline < 0 ? end : newline;
            append(data, i, segmentEnd - i);
            if (newline < 0) {
                i = end;
                break;
            }
            emit(position + (newline - offset) + 1, out);
            i = newline + 1;
            if (!more.getAsBoolean()) {
                break;
            }
        }
        int consumed = i - offset;
        position += consumed;
        return consumed;
    }

    /** Emits the partial line, if any, as a complete line ending at {@link #position()}. */
    void flushPartial(Consumer<Line> out) {
        if (hasPartial()) {
            emit(position, out);
            restOfFlushed = true;
        }
    }

    /** Forgets any partial line and continues at {@code newPosition}. */
    void reset(long newPosition) {
        length = 0;
        skipped = 0;
        lineStart = -1;
        restOfFlushed = false;
        position = newPosition;
        if (buffer.length > 64 * 1024) {
            buffer = new byte[256];
        }
    }

    private void append(byte[] data, int from, int count) {
        int take = Math.min(count, maxLineBytes - length);
        if (take > 0) {
            if (length + take > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(maxLineBytes, Math.max(buffer.length * 2, length + take)));
            }
            System.arraycopy(data, from, buffer, length, take);
            length += take;
        }
        skipped += count - take;
    }

    private void emit(long end, Consumer<Line> out) {
        int textLength = length;
        long dropped = skipped;
        if (dropped > 0) {
            int cut = Utf8Text.boundary(buffer, textLength);
            dropped += textLength - cut;
            textLength = cut;
        } else if (textLength > 0 && buffer[textLength - 1] == '\r') {
            textLength--;
        }
        Utf8Text.Decoded decoded = utf8.decode(buffer, 0, textLength);
        String text = dropped > 0 ? decoded.text() + String.format(TRUNCATION_MARKER, dropped) : decoded.text();
        Line line = new Line(text, lineStart, end, decoded.malformed(), dropped, restOfFlushed);
        restOfFlushed = false;
        length = 0;
        skipped = 0;
        lineStart = -1;
        if (buffer.length > 64 * 1024) {
            buffer = new byte[256]; // one huge line must not pin a megabyte per file for good
        }
        out.accept(line);
    }

    private static int indexOf(byte[] data, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
