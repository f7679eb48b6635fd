package io.roomcast.edge.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.position.StartPoint;
import io.roomcast.room.BackpressurePolicy;
import io.roomcast.room.RoomName;

/** A valid request from a client; {@code id} is the client's request id (number, string or null), echoed back. */
public sealed interface ClientFrame {
    JsonNode id();

    /** {@code policy} is null when the namespace's policy applies. */
    record Subscribe(JsonNode id, RoomName room, StartPoint from, BackpressurePolicy policy) implements ClientFrame {
    }

    /** A token for an anonymous connection, or a fresh one before the current token expires. */
    record Auth(JsonNode id, String token) implements ClientFrame {
    }

    record Unsubscribe(JsonNode id, RoomName room) implements ClientFrame {
    }

    record Publish(JsonNode id, RoomName room, String type, byte[] data, String eventId, boolean retry, String publisherKey)
            implements ClientFrame {
    }

    record Ping(JsonNode id) implements ClientFrame {
    }

    /** A request that could not be understood; answered with an {@code error} frame. */
    record Invalid(JsonNode id, String room, ErrorCode code, String message) implements ClientFrame {
    }
}
