package io.roomcast.edge.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.roomcast.event.RoomEvent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
 * text (and JSON nested deeper than {@link FrameParser#MAX_DEPTH}) becomes a JSON string, anything else is sent base64-encoded with {@code "encoding":"base64"}.
 */
public final class EventFrames {
    /**
     * The one nesting limit of the protocol (as for client frames): a stranger's record nested
     * deeper is not passed through as JSON, which clients might fail to parse, but sent as text.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder().maxNestingDepth(FrameParser.MAX_DEPTH).build())
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
    private static volatile Memo last = new Memo(null, null);
    private static final int SHARED_SLOTS = 16_384;
    private static final int SHARED_DATA_BYTES = 512;
    /** Racy by design: a slot read stale or overwritten only means one more encoding (see {@link #encodeShared}). */
    private static final Memo[] shared = new Memo[SHARED_SLOTS];

    private EventFrames() {
    }

    private record Memo(RoomEvent event, ByteBuffer frame) {
    }

    /** The frame of {@code event}, a read-only buffer; callers send a {@code duplicate()}. */
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

    static ByteBuffer encodeFresh(RoomEvent event) {
        byte[] data = event.data();
        boolean text = isUtf8(data);
        byte[] room = QUOTE.quoteAsUTF8(event.room().value());
        byte[] type = QUOTE.quoteAsUTF8(event.type());
        ByteArrayOutputStream out = new ByteArrayOutputStream(96 + room.length + data.length);
        // Assembled by hand: room and type are quoted by Jackson, the data embedded without re-encoding.
        out.writeBytes(OPEN);
        out.writeBytes(room);
        out.writeBytes(OFFSET);
        out.writeBytes(ascii(Long.toString(event.offset())));
        out.writeBytes(TYPE);
        out.writeBytes(type);
        out.writeBytes(TS);
        out.writeBytes(ascii(Long.toString(event.timestamp())));
        out.writeBytes(DATA);
        if (data.length == 0) {
            out.writeBytes(NULL);
        } else if (text && isJsonValue(data)) {
            out.writeBytes(data);
        } else if (text) {
            quoted(out, QUOTE.quoteAsUTF8(new String(data, StandardCharsets.UTF_8)));
        } else {
            quoted(out, ascii(Base64.getEncoder().encodeToString(data)));
            out.writeBytes(BASE64);
        }
        if (event.eventId() != null) {
            out.writeBytes(EVENT_ID);
            quoted(out, QUOTE.quoteAsUTF8(event.eventId()));
        }
        out.write('}');
        return ByteBuffer.wrap(out.toByteArray()).asReadOnlyBuffer();
    }

    private static void quoted(ByteArrayOutputStream out, byte[] escaped) {
        out.write('"');
        out.writeBytes(escaped);
        out.write('"');
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether {@code data} (valid UTF-8) is exactly one well-formed JSON value. */
    private static boolean isJsonValue(byte[] data) {
        if (data.length >= 3 && data[0] == (byte) 0xEF && data[1] == (byte) 0xBB && data[2] == (byte) 0xBF) {
            return false; // Jackson skips a byte-order mark, but embedded in the frame it would break the JSON
        }
        try (JsonParser p = JSON.createParser(data)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether {@code data} is valid UTF-8; ASCII, the common case, is checked without decoding. */
    private static boolean isUtf8(byte[] data) {
        for (byte b : data) {
            if (b < 0) {
                try {
                    StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(data));
                    return true;
                } catch (CharacterCodingException e) {
                    return false;
                }
            }
        }
        return true;
    }
}
