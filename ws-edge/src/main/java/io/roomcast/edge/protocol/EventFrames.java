package io.roomcast.edge.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.roomcast.event.RoomEvent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Encodes {@code event} frames. A live event is encoded once per edge and the same bytes are
 * written to every subscriber: the last encoded event is remembered, and the live tail hands one
 * event object to all of a room's subscribers in a row. The memo is one immutable pair in a
 * volatile field rather than a thread-local: a thread-local lookup per delivery cost more than the
 * rest of the hand-over to the connection, and a worker encoding a replay meanwhile only costs the
 * live thread one more encoding.
 *
 * <p>Record values written by strangers are made safe: JSON passes through unchanged, other UTF-8
 * text (and JSON nested deeper than {@link #MAX_VALUE_DEPTH}) becomes a JSON string, anything else is sent base64-encoded with {@code "encoding":"base64"}.
 */
public final class EventFrames {
    /**
     * How deep a value passed on as JSON may nest: one level less than the protocol's limit for a frame
     * ({@link FrameParser#MAX_DEPTH}), since the frame holds it one level down. A client publishing through the edge
     * cannot store a deeper one; a stranger writing to Kafka could.
     */
    public static final int MAX_VALUE_DEPTH = FrameParser.MAX_DEPTH - 1;

    /**
     * For values near Jackson's length limits only ({@link JsonGrammar} checks the rest), with the
     * protocol's one nesting limit, as for client frames.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder().maxNestingDepth(MAX_VALUE_DEPTH).build())
            .build();
    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();
    private static final byte[] OPEN = ascii("{\"op\":\"event\",\"room\":\"");
    private static final byte[] OFFSET = ascii("\",\"offset\":");
    private static final byte[] TYPE = ascii(",\"type\":\"");
    private static final byte[] TS = ascii("\",\"ts\":");
    private static final byte[] DATA = ascii(",\"data\":");
    private static final byte[] NULL = ascii("null");
    private static final byte[] BASE64 = ascii(",\"encoding\":\"base64\"");
    private static final byte[] EVENT_ID = ascii(",\"eventId\":");
    /** "00" to "99": the two digits of each number below 100, side by side. */
    private static final byte[] DIGIT_PAIRS = new byte[200];

    static {
        for (int n = 0; n < 100; n++) {
            DIGIT_PAIRS[2 * n] = (byte) ('0' + n / 10);
            DIGIT_PAIRS[2 * n + 1] = (byte) ('0' + n % 10);
        }
    }
    /** A frame's bytes besides room, type, data and event id: the field names and two longs of at most 20 digits. */
    private static final int FIXED_BYTES = OPEN.length + OFFSET.length + TYPE.length + TS.length + DATA.length + 1 + 2 * 20;
    private static volatile Memo last = new Memo(null, null);
    private static final int SHARED_SLOTS = 16_384;
    private static final int SHARED_DATA_BYTES = 512;
    /** Racy by design: a slot read stale or overwritten only means one more encoding (see {@link #encodeShared}). */
    private static final Memo[] shared = new Memo[SHARED_SLOTS];

    private EventFrames() {
    }

    private record Memo(RoomEvent event, ByteBuffer frame) {
    }

    /**
     * The frame of {@code event}, a read-only buffer shared by every caller: read with absolute
     * gets or through a {@code duplicate()}, never by moving its position. Any thread (the live
     * thread, for each event of a poll batch).
     */
    public static ByteBuffer encode(RoomEvent event) {
        Memo memo = last;
        if (memo.event() == event) {
            return memo.frame();
        }
        ByteBuffer frame = encodeFresh(event);
        last = new Memo(event, frame);
        return frame;
    }

    /**
     * The frame of a history event, which other subscriptions may send too: events of the room caches and of
     * shared history reads are the same objects for every subscriber, so a small table remembers the frames of
     * the events encoded last, by identity. Direct-mapped and lock-free ({@value #SHARED_SLOTS} slots, each an
     * immutable pair): a collision only costs an encoding. Only events of at most {@value #SHARED_DATA_BYTES}
     * bytes are remembered, so the table holds a few MB at most. Any thread.
     */
    public static ByteBuffer encodeShared(RoomEvent event) {
        if (event.data().length > SHARED_DATA_BYTES) {
            return encodeFresh(event);
        }
        int slot = System.identityHashCode(event) & (SHARED_SLOTS - 1);
        Memo memo = shared[slot];
        if (memo != null && memo.event() == event) {
            return memo.frame();
        }
        ByteBuffer frame = encodeFresh(event);
        shared[slot] = new Memo(event, frame);
        return frame;
    }

    /**
     * The frame of an event no other subscriber is sending now (a history read of one subscriber's own):
     * encoded and not remembered, so that it dies with the subscriber's queue rather than living on in
     * the table of {@link #encodeShared}, where a long replay's frames were copied by every young
     * collection. Any thread.
     */
    public static ByteBuffer encodeFresh(RoomEvent event) {
        byte[] data = event.data();
        String room = event.room().value();
        String type = event.type();
        String eventId = event.eventId();
        FrameBytes out = new FrameBytes(FIXED_BYTES + room.length() + type.length() + data.length
                + (eventId == null ? 0 : EVENT_ID.length + 2 + eventId.length()));
        // Assembled by hand: strings quoted as JSON, the data embedded without re-encoding.
        out.put(OPEN);
        out.putQuotable(room);
        out.put(OFFSET);
        out.putLong(event.offset());
        out.put(TYPE);
        out.putQuotable(type);
        out.put(TS);
        out.putLong(event.timestamp());
        out.put(DATA);
        if (data.length == 0) {
            out.put(NULL);
        } else if (isJsonValue(data)) { // also well-formed UTF-8: the grammar checks strings' characters as it goes
            out.put(data);
        } else if (Utf8.valid(data, 0, data.length)) {
            out.putByte('"');
            out.put(QUOTE.quoteAsUTF8(new String(data, StandardCharsets.UTF_8)));
            out.putByte('"');
        } else {
            out.putByte('"');
            out.put(Base64.getEncoder().encode(data));
            out.putByte('"');
            out.put(BASE64);
        }
        if (eventId != null) {
            out.put(EVENT_ID);
            out.putByte('"');
            out.putQuotable(eventId);
            out.putByte('"');
        }
        out.putByte('}');
        return out.frame();
    }

    /**
     * A frame's bytes, written into one array sized for the common case (no escaping) and wrapped
     * without a copy: a replay encodes every event it sends, so the stream, string and copy
     * allocations per event of a general-purpose writer showed in its profile.
     */
    private static final class FrameBytes {
        private byte[] bytes;
        private int length;

        FrameBytes(int capacity) {
            bytes = new byte[capacity];
        }

        void put(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, bytes, length, b.length);
            length += b.length;
        }

        void putByte(char c) {
            ensure(1);
            bytes[length++] = (byte) c;
        }

        /** {@code s}'s JSON string content (without the quotes); printable ASCII without quote or backslash is copied as is. */
        void putQuotable(String s) {
            int n = s.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                    put(QUOTE.quoteAsUTF8(s));
                    return;
                }
                bytes[length + i] = (byte) c;
            }
            length += n;
        }

        /** {@code v} in decimal: two digits per division, from a table, as the JDK's {@code Long.toString} does. */
        void putLong(long v) {
            if (v < 0) {
                put(ascii(Long.toString(v)));
                return;
            }
            int digits = 1;
            for (long bound = 10; digits < 19 && v >= bound; bound *= 10) {
                digits++;
            }
            ensure(digits);
            int i = length + digits;
            while (v >= 100) {
                long q = v / 100;
                int pair = (int) (v - q * 100) << 1;
                bytes[--i] = DIGIT_PAIRS[pair + 1];
                bytes[--i] = DIGIT_PAIRS[pair];
                v = q;
            }
            if (v >= 10) {
                int pair = (int) v << 1;
                bytes[--i] = DIGIT_PAIRS[pair + 1];
                bytes[--i] = DIGIT_PAIRS[pair];
            } else {
                bytes[--i] = (byte) ('0' + v);
            }
            length += digits;
        }

        ByteBuffer frame() {
            return ByteBuffer.wrap(bytes, 0, length).slice().asReadOnlyBuffer();
        }

        /** Grows the array so that {@code more} bytes fit after what is written. */
        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Whether {@code data} is exactly one well-formed JSON value in well-formed UTF-8, nested at most
     * {@link #MAX_VALUE_DEPTH} deep: what the edge passes on as JSON. Any thread.
     */
    public static boolean isJsonValue(byte[] data) {
        return switch (JsonGrammar.check(data)) {
            case VALUE -> true;
            case NOT_A_VALUE -> false;
            case NEAR_LIMITS -> withinJacksonLimits(data);
        };
    }

    /**
     * Whether Jackson reads {@code data}, well-formed JSON with a long number or name, within its
     * default limits, as the clients that parse frames with Jackson will. The grammar was checked, so
     * {@code data} starts with neither a byte-order mark nor a NUL byte, from which Jackson would guess
     * another encoding than UTF-8.
     */
    private static boolean withinJacksonLimits(byte[] data) {
        try (JsonParser p = JSON.createParser(data)) {
            p.nextToken();
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
