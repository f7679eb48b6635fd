package io.roomcast.edge.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.roomcast.event.RoomEvent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Encodes {@code event} frames. A live event is encoded once per edge and the same bytes are
 * written to every subscriber: the last encoded event is remembered per thread, and the live
 * tail hands one event object to all of a room's subscribers in a row.
 *
 * <p>Record values written by strangers are made safe: JSON passes through unchanged, other UTF-8
 * text becomes a JSON string, anything else is sent base64-encoded with {@code "encoding":"base64"}.
 */
public final class EventFrames {
    private static final JsonFactory JSON = new JsonFactory();
    private static final ThreadLocal<Memo> LAST = ThreadLocal.withInitial(Memo::new);

    private EventFrames() {
    }

    private static final class Memo {
        RoomEvent event;
        ByteBuffer frame;
    }

    /** The frame of {@code event}, a read-only buffer; callers send a {@code duplicate()}. */
    public static ByteBuffer encode(RoomEvent event) {
        Memo memo = LAST.get();
        if (memo.event != event) {
            memo.frame = encodeFresh(event);
            memo.event = event;
        }
        return memo.frame;
    }

    static ByteBuffer encodeFresh(RoomEvent event) {
        byte[] data = event.data();
        ByteArrayOutputStream out = new ByteArrayOutputStream(96 + data.length);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("op", "event");
            g.writeStringField("room", event.room().value());
            g.writeNumberField("offset", event.offset());
            g.writeStringField("type", event.type());
            g.writeNumberField("ts", event.timestamp());
            g.writeFieldName("data");
            if (data.length == 0) {
                g.writeNull();
            } else if (isJson(data)) {
                g.writeRawValue(new String(data, StandardCharsets.UTF_8));
            } else {
                String text = utf8(data);
                if (text != null) {
                    g.writeString(text);
                } else {
                    g.writeString(Base64.getEncoder().encodeToString(data));
                    g.writeStringField("encoding", "base64");
                }
            }
            if (event.eventId() != null) {
                g.writeStringField("eventId", event.eventId());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ByteBuffer.wrap(out.toByteArray()).asReadOnlyBuffer();
    }

    /** Whether {@code data} is exactly one well-formed JSON value in valid UTF-8. */
    static boolean isJson(byte[] data) {
        if (utf8(data) == null) {
            return false;
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

    private static String utf8(byte[] data) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
