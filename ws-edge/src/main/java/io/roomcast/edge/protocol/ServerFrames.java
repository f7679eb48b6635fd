package io.roomcast.edge.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.position.Epoch;
import io.roomcast.position.Gap;
import io.roomcast.room.RoomName;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/** Encodes the edge's control frames (everything but events). Stateless and thread-safe. */
public final class ServerFrames {
    private static final JsonFactory JSON = new JsonFactory();

    private ServerFrames() {
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static ByteBuffer frame(String op, JsonNode id, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("op", op);
            if (id != null && !id.isNull()) {
                g.writeFieldName("id");
                if (id.isIntegralNumber()) {
                    g.writeNumber(id.bigIntegerValue());
                } else {
                    g.writeString(id.asText());
                }
            }
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ByteBuffer.wrap(out.toByteArray()).asReadOnlyBuffer();
    }

    public static ByteBuffer subscribed(JsonNode id, RoomName room, Epoch epoch, Boolean recovered, Gap gap) {
        return frame("subscribed", id, g -> {
            g.writeStringField("room", room.value());
            g.writeStringField("epoch", epoch.value());
            if (recovered != null) {
                g.writeBooleanField("recovered", recovered);
            }
            if (gap != null) {
                g.writeObjectFieldStart("gap");
                g.writeStringField("reason", gap.reason().wire());
                g.writeNumberField("after", gap.after());
                g.writeNumberField("resumeAt", gap.resumeAt());
                g.writeEndObject();
            }
        });
    }

    public static ByteBuffer live(RoomName room, long offset) {
        return frame("live", null, g -> {
            g.writeStringField("room", room.value());
            g.writeNumberField("offset", offset);
        });
    }

    public static ByteBuffer unsubscribed(JsonNode id, RoomName room) {
        return frame("unsubscribed", id, g -> g.writeStringField("room", room.value()));
    }

    /** The answer to a publish; {@code duplicate}: the event was written before, under the same eventId, at this offset. */
    public static ByteBuffer ack(JsonNode id, RoomName room, long offset, boolean duplicate) {
        return frame("ack", id, g -> {
            g.writeStringField("room", room.value());
            g.writeNumberField("offset", offset);
            if (duplicate) {
                g.writeBooleanField("duplicate", true);
            }
        });
    }

    public static ByteBuffer pong(JsonNode id) {
        return frame("pong", id, g -> {
        });
    }

    public static ByteBuffer error(JsonNode id, String room, ErrorCode code, String message) {
        return frame("error", id, g -> {
            if (room != null) {
                g.writeStringField("room", room);
            }
            g.writeStringField("code", code.wire());
            g.writeStringField("message", message);
        });
    }

    public static ByteBuffer dropped(RoomName room, long count, long first, long last) {
        return frame("dropped", null, g -> {
            g.writeStringField("room", room.value());
            g.writeNumberField("count", count);
            g.writeNumberField("first", first);
            g.writeNumberField("last", last);
        });
    }

    public static ByteBuffer authed(JsonNode id, long expiresAt) {
        return frame("authed", id, g -> g.writeNumberField("expiresAt", expiresAt));
    }

    public static ByteBuffer reconnect(String reason, long delayMs) {
        return frame("reconnect", null, g -> {
            g.writeStringField("reason", reason);
            g.writeNumberField("delayMs", delayMs);
        });
    }
}
