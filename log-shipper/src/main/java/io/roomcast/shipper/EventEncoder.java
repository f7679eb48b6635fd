package io.roomcast.shipper;

/**
 * Serialises {@link LogRecordEvent}s and keeps every record value within {@code maxBytes}, so
 * that Kafka never refuses a record for its size (which would stop shipping for good). A value
 * that is too large has its {@code line} cut at a character boundary and ends with
 * {@value #MARKER}; {@code truncated} is then {@code true}. Thread-safe.
 */
final class EventEncoder {
    static final String MARKER = " [roomcast: record truncated]";

    private final int maxBytes;

    EventEncoder(int maxBytes) {
        if (maxBytes < 1024) {
            throw new IllegalArgumentException("maxBytes must be >= 1024, was " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** The encoded value and whether it had to be cut. */
    record Encoded(byte[] value, boolean cut) {
    }

    Encoded encode(LogRecordEvent event) {
        byte[] value = event.toJson();
        if (value.length <= maxBytes) {
            return new Encoded(value, false);
        }
        String line = event.line();
        int budget = jsonLength(line) - (value.length - maxBytes) - jsonLength(MARKER);
        for (int attempt = 0; attempt < 8; attempt++) {
            String cut = prefixWithin(line, Math.max(0, budget)) + MARKER;
            value = event.withLine(cut, true).toJson();
            if (value.length <= maxBytes) {
                return new Encoded(value, true);
            }
            budget -= value.length - maxBytes + 64;
        }
        throw new IllegalStateException("cannot fit a log record into " + maxBytes + " bytes");
    }

    /** How many bytes {@code event}'s line may take JSON-encoded ({@link #jsonLength}) for the event to fit uncut. */
    int maxLineBytes(LogRecordEvent event) {
        return maxBytes - event.withLine("", true).toJson().length;
    }

    /** The longest prefix of {@code text} whose JSON string encoding takes at most {@code budget} bytes. */
    static String prefixWithin(String text, int budget) {
        int used = 0;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int size = jsonLength(cp);
            if (used + size > budget) {
                break;
            }
            used += size;
            i += Character.charCount(cp);
        }
        return text.substring(0, i);
    }

    /** The bytes {@code text} takes inside a JSON string as Jackson writes it (UTF-8, escapes). */
    static int jsonLength(String text) {
        int total = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            total += jsonLength(cp);
            i += Character.charCount(cp);
        }
        return total;
    }

    private static int jsonLength(int cp) {
        if (cp == '"' || cp == '\\' || cp == '\n' || cp == '\r' || cp == '\t' || cp == '\b' || cp == '\f') {
            return 2;
        }
        if (cp < 0x20) {
            return 6;
        }
        if (cp < 0x80) {
            return 1;
        }
        if (cp < 0x800) {
            return 2;
        }
        if (Character.isSurrogate((char) cp)) {
            return 6; // a lone surrogate is written as a \\u escape
        }
        return cp < 0x10000 ? 3 : 4;
    }
}
