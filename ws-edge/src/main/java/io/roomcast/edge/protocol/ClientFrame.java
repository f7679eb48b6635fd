package io.roomcast.edge.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.position.StartPoint;
import io.roomcast.room.BackpressurePolicy;
import io.roomcast.room.RoomName;

/** A valid request from a client; {@code id} is the client's request id (number, string or null), echoed back. */
public sealed interface ClientFrame {
    JsonNode id();

    /** The room the request names, or null (ping, auth, a frame too broken to name one). */
    default String roomName() {
        return null;
    }

    /**
     * {@code policy} is null when the namespace's policy applies. {@code presence}: the connection
     * enters the room's presence and receives join/leave frames; {@code ephemeral}: it receives the
     * room's ephemeral signals; {@code compact}: history with finished answers as one
     * {@code generation.message}; {@code name}: a display name for presence (validated later), or null;
     * {@code snapshot}: {@code from:"snapshot"} — the room's newest snapshot, then the events after it,
     * or {@code from} ({@code earliest}) when the room has none.
     */
    record Subscribe(JsonNode id, RoomName room, StartPoint from, BackpressurePolicy policy, boolean presence, boolean ephemeral,
                     boolean compact, String name, boolean snapshot) implements ClientFrame {
        public Subscribe(JsonNode id, RoomName room, StartPoint from, BackpressurePolicy policy) {
            this(id, room, from, policy, false, false, false, null, false);
        }

        @Override
        public String roomName() {
            return room.value();
        }
    }

    /** Who is present in a room. */
    record Presence(JsonNode id, RoomName room) implements ClientFrame {
        @Override
        public String roomName() {
            return room.value();
        }
    }

    /** A token for an anonymous connection, or a fresh one before the current token expires. */
    record Auth(JsonNode id, String token) implements ClientFrame {
    }

    record Unsubscribe(JsonNode id, RoomName room) implements ClientFrame {
        @Override
        public String roomName() {
            return room.value();
        }
    }

    /**
     * {@code ephemeral}: a live-only signal (typing, cursor), never stored in the room's history.
     * {@code publisherKey}: an anonymous publisher's own dedupe scope (see Publishing), or null.
     */
    record Publish(JsonNode id, RoomName room, String type, byte[] data, String eventId, boolean retry, boolean ephemeral,
                   String publisherKey) implements ClientFrame {
        public Publish(JsonNode id, RoomName room, String type, byte[] data, String eventId, boolean retry) {
            this(id, room, type, data, eventId, retry, false, null);
        }

        @Override
        public String roomName() {
            return room.value();
        }
    }

    record Ping(JsonNode id) implements ClientFrame {
    }

    /** A request that could not be understood; answered with an {@code error} frame. */
    record Invalid(JsonNode id, String room, ErrorCode code, String message) implements ClientFrame {
        @Override
        public String roomName() {
            return room;
        }
    }
}
