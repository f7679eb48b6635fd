package io.roomcast.edge.sse;

import io.roomcast.position.Epoch;
import io.roomcast.room.RoomName;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SSE {@code id} of an event: the stream's position in every room it has a position in, so
 * that a reconnect with {@code Last-Event-ID} — on any edge — resumes each room exactly. The form
 * is {@code room~epoch~offset}, one per room, joined by {@code ,} (neither {@code ~} nor
 * {@code ,} can occur in a room name or an epoch), for example
 * {@code chat:lobby~Sd2vQZ1lRW6bX4cK4mAv2g.4~41,chat:dev~Sd2vQZ1lRW6bX4cK4mAv2g.4~7}.
 *
 * <p>Stateless and thread-safe.
 */
public final class EventId {
    /** Longest id accepted back: 200 rooms of the longest names would not fit, a generous stream does. */
    public static final int MAX_LENGTH = 16 * 1024;

    private EventId() {
    }

    public static String format(Collection<StreamPosition> positions) {
        StringBuilder out = new StringBuilder(positions.size() * 48);
        for (StreamPosition p : positions) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(p.room().value()).append('~').append(p.epoch().value()).append('~').append(p.offset());
        }
        return out.toString();
    }

    /**
     * Parses an id sent back as {@code Last-Event-ID}; {@code null} or blank is no position.
     *
     * @throws IllegalArgumentException with a message for the client when it is not in the form above
     */
    public static Map<RoomName, StreamPosition> parse(String id) {
        Map<RoomName, StreamPosition> positions = new LinkedHashMap<>();
        if (id == null || id.isBlank()) {
            return positions;
        }
        if (id.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("Last-Event-ID is longer than " + MAX_LENGTH + " characters");
        }
        for (String part : id.trim().split(",", -1)) {
            String[] fields = part.split("~", -1);
            if (fields.length != 3) {
                throw new IllegalArgumentException("Last-Event-ID must be room~epoch~offset[,room~epoch~offset...], got '" + clip(part) + "'");
            }
            if (!RoomName.isValid(fields[0])) {
                throw new IllegalArgumentException("Last-Event-ID names an invalid room '" + clip(fields[0]) + "'");
            }
            long offset;
            Epoch epoch;
            try {
                offset = Long.parseLong(fields[2]);
                epoch = new Epoch(fields[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Last-Event-ID has an invalid epoch or offset in '" + clip(part) + "'");
            }
            if (offset < -1) {
                throw new IllegalArgumentException("Last-Event-ID offsets are >= -1, got " + offset);
            }
            RoomName room = RoomName.of(fields[0]);
            if (positions.put(room, new StreamPosition(room, epoch, offset)) != null) {
                // two positions of one room: neither can be taken for the other, as a room named twice in the query is refused
                throw new IllegalArgumentException("Last-Event-ID names room " + room + " twice");
            }
        }
        return positions;
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
