package io.roomcast.edge.sse;

import io.roomcast.position.Epoch;
import io.roomcast.position.StartPoint;
import io.roomcast.room.BackpressurePolicy;
import io.roomcast.room.RoomName;

import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /sse} asks for: its rooms, each with the point it starts from — the room's
 * position in {@code Last-Event-ID} (header, or the {@code lastEventId} parameter) when it has one,
 * else the {@code from} parameter — and an optional backpressure policy.
 *
 * <p>Query parameters: {@code room} (repeated, at least one); {@code from} = {@code latest}
 * (default), {@code earliest}, {@code last:N}, {@code time:MILLIS} or, with a single room,
 * {@code after:OFFSET:EPOCH}; {@code policy} = {@code lossless}, {@code drop-oldest} or
 * {@code latest-only}; {@code lastEventId}. A {@code token} parameter is refused: tokens in URLs
 * end up in access logs. Other parameters (cache busters) are ignored.
 */
public record SseRequest(Map<RoomName, StartPoint> rooms, BackpressurePolicy policy) {

    /**
     * @param query       decoded query parameters
     * @param lastEventId the {@code Last-Event-ID} header, or null
     * @param maxRooms    most rooms one stream may carry (the edge's subscriptions per connection)
     * @throws IllegalArgumentException with a message for the client
     */
    public static SseRequest parse(Map<String, Deque<String>> query, String lastEventId, int maxRooms) {
        if (query.containsKey("token")) {
            throw new IllegalArgumentException("tokens are not accepted in the URL (it ends up in access logs): "
                    + "send an Authorization: Bearer header or the roomcast_token cookie");
        }
        List<String> names = new ArrayList<>(query.getOrDefault("room", new java.util.ArrayDeque<>()));
        if (names.isEmpty()) {
            throw new IllegalArgumentException("at least one room parameter is required, e.g. /sse?room=chat:lobby");
        }
        if (names.size() > maxRooms) {
            throw new IllegalArgumentException("at most " + maxRooms + " rooms per stream");
        }
        StartPoint from = startPoint(single(query, "from"), names.size());
        String policyText = single(query, "policy");
        BackpressurePolicy policy = null;
        if (policyText != null) {
            policy = BackpressurePolicy.fromWire(policyText);
        }
        String id = lastEventId != null ? lastEventId : single(query, "lastEventId");
        Map<RoomName, StreamPosition> resume = EventId.parse(id);
        Map<RoomName, StartPoint> rooms = new LinkedHashMap<>();
        for (String name : names) {
            if (!RoomName.isValid(name)) {
                throw new IllegalArgumentException("invalid room name '" + (name.length() > 80 ? name.substring(0, 80) + "..." : name)
                        + "': 1-" + RoomName.MAX_LENGTH + " characters of [A-Za-z0-9._:@/-]");
            }
            RoomName room = RoomName.of(name);
            StreamPosition p = resume.get(room);
            if (rooms.put(room, p != null ? new StartPoint.After(p.offset(), p.epoch()) : from) != null) {
                throw new IllegalArgumentException("room " + room + " is named twice");
            }
        }
        return new SseRequest(rooms, policy);
    }

    private static String single(Map<String, Deque<String>> query, String name) {
        Deque<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new IllegalArgumentException("parameter " + name + " may be given once");
        }
        return values.getFirst();
    }

    static StartPoint startPoint(String from, int roomCount) {
        if (from == null || from.equals("latest")) {
            return StartPoint.LATEST;
        }
        if (from.equals("earliest")) {
            return StartPoint.EARLIEST;
        }
        String[] parts = from.split(":", 3);
        try {
            switch (parts[0]) {
                case "last" -> {
                    if (parts.length == 2) {
                        return new StartPoint.Last(Integer.parseInt(parts[1]));
                    }
                }
                case "time" -> {
                    if (parts.length == 2) {
                        return new StartPoint.Time(Long.parseLong(parts[1]));
                    }
                }
                case "after" -> {
                    if (parts.length == 3) {
                        if (roomCount != 1) {
                            throw new IllegalArgumentException("from=after:OFFSET:EPOCH needs exactly one room; "
                                    + "resume several rooms with Last-Event-ID");
                        }
                        return new StartPoint.After(Long.parseLong(parts[1]), new Epoch(parts[2]));
                    }
                }
                default -> {
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid from '" + from + "': not a number");
        }
        throw new IllegalArgumentException("invalid from '" + (from.length() > 80 ? from.substring(0, 80) + "..." : from)
                + "': use latest, earliest, last:N, time:MILLIS or after:OFFSET:EPOCH");
    }
}
