package io.roomcast.edge.presence;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.room.RoomName;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * The presence frames of docs/protocol.md: {@code presence} (answer or count notice), {@code join},
 * {@code leave}, {@code sync}. Stateless: any thread.
 */
public final class PresenceFrames {
    private static final JsonFactory JSON = new JsonFactory();

    private PresenceFrames() {
    }

    /** {@code {"op":"presence","id":N,"room":R,"members":[...],"count":C}}; without {@code members} above the listing limit. */
    public static ByteBuffer presence(JsonNode id, RoomName room, Presence.Snapshot snapshot) {
        return frame(g -> {
            g.writeStringField("op", "presence");
            writeId(g, id);
            g.writeStringField("room", room.value());
            if (snapshot.listed()) {
                g.writeArrayFieldStart("members");
                for (Member m : snapshot.members()) {
                    member(g, m);
                }
                g.writeEndArray();
            }
            g.writeNumberField("count", snapshot.count());
        });
    }

    static ByteBuffer change(PresenceTable.Change change) {
        return change(change.room(), change.member(), change.joined(), change.count());
    }

    /** {@code {"op":"join"|"leave","room":R,"member":{...},"count":C}}: the room has {@code count} members after the change. */
    public static ByteBuffer change(RoomName room, Member member, boolean joined, int count) {
        return frame(g -> {
            g.writeStringField("op", joined ? "join" : "leave");
            g.writeStringField("room", room.value());
            g.writeFieldName("member");
            member(g, member);
            g.writeNumberField("count", count);
        });
    }

    /** Above the listing limit: {@code {"op":"presence","room":R,"count":C}} instead of join and leave. */
    public static ByteBuffer count(RoomName room, int count) {
        return frame(g -> {
            g.writeStringField("op", "presence");
            g.writeStringField("room", room.value());
            g.writeNumberField("count", count);
        });
    }

    /**
     * {@code {"op":"sync","room":R,"count":C}}: the joins since {@code subscribed} listed everyone who
     * was there; a client that kept an older list drops the members not in them.
     */
    public static ByteBuffer sync(RoomName room, int count) {
        return frame(g -> {
            g.writeStringField("op", "sync");
            g.writeStringField("room", room.value());
            g.writeNumberField("count", count);
        });
    }

    private static void member(JsonGenerator g, Member m) throws IOException {
        g.writeStartObject();
        g.writeStringField("client", m.client());
        if (m.user() == null) {
            g.writeNullField("user");
        } else {
            g.writeStringField("user", m.user());
        }
        if (m.name() == null) {
            g.writeNullField("name");
        } else {
            g.writeStringField("name", m.name());
        }
        g.writeNumberField("since", m.since());
        g.writeBooleanField("verified", m.verified());
        g.writeEndObject();
    }

    private static void writeId(JsonGenerator g, JsonNode id) throws IOException {
        if (id == null || id.isNull()) {
            return;
        }
        g.writeFieldName("id");
        if (id.isIntegralNumber()) {
            g.writeNumber(id.bigIntegerValue());
        } else {
            g.writeString(id.asText());
        }
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static ByteBuffer frame(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ByteBuffer.wrap(out.toByteArray()).asReadOnlyBuffer();
    }
}
