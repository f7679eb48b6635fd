package io.roomcast.edge.compact;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.roomcast.compact.AnswerCompactor;
import io.roomcast.room.RoomName;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * {@code {"op":"partial","room":R,"generationId":G,"fromSeq":0,"toSeq":41,"offset":1085,"text":"..."}}:
 * the tokens of an unfinished answer in a compacted history, as one frame (docs/protocol.md).
 * Stateless and thread-safe.
 */
public final class PartialFrames {
    private static final JsonFactory JSON = new JsonFactory();

    private PartialFrames() {
    }

    public static ByteBuffer encode(RoomName room, AnswerCompactor.Partial partial) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96 + partial.text().length());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("op", "partial");
            g.writeStringField("room", room.value());
            g.writeStringField("generationId", partial.generationId());
            g.writeNumberField("fromSeq", partial.fromSeq());
            g.writeNumberField("toSeq", partial.toSeq());
            g.writeNumberField("offset", partial.offset());
            g.writeStringField("text", partial.text());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ByteBuffer.wrap(out.toByteArray()).asReadOnlyBuffer();
    }
}
