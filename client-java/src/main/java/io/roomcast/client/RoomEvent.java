package io.roomcast.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * One event of a room, as delivered by the edge's {@code event} frame.
 *
 * @param room     the room
 * @param offset   the Kafka offset (increasing within a room, not contiguous)
 * @param type     the event type ({@code message} when the record had no type header)
 * @param ts       the Kafka record timestamp in ms since the epoch
 * @param data     the payload; a JSON {@code null} node when the record value was empty
 * @param eventId  the publisher-chosen id, or null
 * @param encoding {@code base64} when the value was not UTF-8 (then {@code data} is a base64 string), otherwise null
 */
public record RoomEvent(String room, long offset, String type, long ts, JsonNode data, String eventId,
                        String encoding) {

    public RoomEvent {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }

    public Optional<String> eventIdOptional() {
        return Optional.ofNullable(eventId);
    }

    public boolean isBase64() {
        return "base64".equals(encoding);
    }
}
