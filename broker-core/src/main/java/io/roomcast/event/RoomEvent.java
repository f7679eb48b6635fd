package io.roomcast.event;

import io.roomcast.room.RoomName;

/**
 * One event of a room, as read from Kafka. Immutable; {@code data} is the record value exactly as
 * stored (normally UTF-8 JSON, but records written by strangers may hold anything or nothing).
 *
 * @param room      the room (the record key)
 * @param offset    the Kafka offset in the room's partition: the event's position
 * @param type      the {@code type} header, or {@code message} when absent
 * @param timestamp the record timestamp in ms: the event time
 * @param data      the record value; never null (an absent value is an empty array)
 * @param eventId   the {@code id} header chosen by the publisher, or null
 */
public record RoomEvent(RoomName room, long offset, String type, long timestamp, byte[] data, String eventId) {
    public static final String DEFAULT_TYPE = "message";

    public RoomEvent {
        if (data == null) {
            data = new byte[0];
        }
        if (type == null) {
            type = DEFAULT_TYPE;
        }
    }

    /** Roughly what this event occupies on the heap: its data plus a fixed allowance for the rest. */
    public long sizeBytes() {
        return data.length + 120L + (eventId == null ? 0 : eventId.length());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoomEvent e && e.offset == offset && e.room.equals(room)
                && e.timestamp == timestamp && e.type.equals(type) && java.util.Arrays.equals(e.data, data)
                && java.util.Objects.equals(e.eventId, eventId);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(offset) * 31 + room.hashCode();
    }

    @Override
    public String toString() {
        return "RoomEvent[" + room + "@" + offset + " " + type + "]";
    }
}
