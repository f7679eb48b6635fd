package io.roomcast.producer.openai;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads server-sent events from a character stream as the HTML living standard's
 * "event stream interpretation" says: lines end with CR, LF or CRLF; a leading BOM is skipped;
 * lines starting with {@code :} are comments; {@code field: value} loses one space after the
 * colon; {@code data} lines accumulate joined by LF; an empty line dispatches the event (if it
 * has data); {@code retry} and unknown fields are ignored; an event cut off by the end of the
 * stream is discarded.
 *
 * <p>Memory is bounded: a line longer than {@code maxLineChars} or an event's data longer than
 * {@code maxEventChars} fails with {@link SseFormatException}. Not thread-safe: one reader per stream.
 */
public final class SseReader {
    private final Reader in;
    private final int maxLineChars;
    private final int maxEventChars;
    private final StringBuilder line = new StringBuilder();
    private final StringBuilder data = new StringBuilder();
    private String eventType = "";
    private String lastEventId = "";
    private boolean started;
    private boolean pendingLf;
    private boolean eof;

    public SseReader(Reader in, int maxLineChars, int maxEventChars) {
        this.in = in;
        this.maxLineChars = maxLineChars;
        this.maxEventChars = maxEventChars;
    }

    /** The next event, or {@code null} at the end of the stream. */
    public SseEvent next() throws IOException {
        String current;
        while ((current = readLine()) != null) {
            if (current.isEmpty()) {
                SseEvent event = dispatch();
                if (event != null) {
                    return event;
                }
            } else if (current.charAt(0) != ':') {
                field(current);
            }
        }
        return null;
    }

    private void field(String text) throws SseFormatException {
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (name) {
            case "data" -> {
                if (data.length() + value.length() + 1 > maxEventChars) {
                    throw new SseFormatException("event data longer than " + maxEventChars + " characters");
                }
                data.append(value).append('\n');
            }
            case "event" -> eventType = value;
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventId = value;
                }
            }
            default -> {
                // "retry" and unknown fields carry nothing a chat completion stream needs
            }
        }
    }

    private SseEvent dispatch() {
        if (data.length() == 0) {
            eventType = "";
            return null;
        }
        data.setLength(data.length() - 1);
        SseEvent event = new SseEvent(eventType.isEmpty() ? SseEvent.DEFAULT_TYPE : eventType, data.toString(), lastEventId);
        data.setLength(0);
        eventType = "";
        return event;
    }

    private String readLine() throws IOException {
        if (eof) {
            return null;
        }
        line.setLength(0);
        while (true) {
            int c = in.read();
            if (c < 0) {
                eof = true;
                // a final line without its terminator cannot complete an event: dropped by the spec
                return null;
            }
            if (!started) {
                started = true;
                if (c == '\uFEFF') {
                    continue;
                }
            }
            if (pendingLf) {
                pendingLf = false;
                if (c == '\n') {
                    continue;
                }
            }
            if (c == '\r') {
                pendingLf = true;
                return line.toString();
            }
            if (c == '\n') {
                return line.toString();
            }
            if (line.length() >= maxLineChars) {
                throw new SseFormatException("line longer than " + maxLineChars + " characters");
            }
            line.append((char) c);
        }
    }
}
