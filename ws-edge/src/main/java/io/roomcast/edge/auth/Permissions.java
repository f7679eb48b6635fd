package io.roomcast.edge.auth;

import io.roomcast.room.RoomName;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rooms a token grants, from its {@code rooms} claim:
 * <pre>{"rooms": {"subscribe": ["chat:*", "logs:api"], "publish": ["chat:lobby", "chat:team/*"]}}</pre>
 * Both lists are optional (absent = nothing); each entry is a {@link RoomPattern}. Publish does not
 * imply subscribe. Immutable and thread-safe.
 */
public record Permissions(List<RoomPattern> subscribe, List<RoomPattern> publish) {
    /** Bounds the work a token can cause: each check walks the lists. */
    public static final int MAX_PATTERNS = 256;

    public Permissions {
        subscribe = List.copyOf(subscribe);
        publish = List.copyOf(publish);
    }

    public static Permissions none() {
        return new Permissions(List.of(), List.of());
    }

    public boolean maySubscribe(RoomName room) {
        return anyMatch(subscribe, room);
    }

    public boolean mayPublish(RoomName room) {
        return anyMatch(publish, room);
    }

    private static boolean anyMatch(List<RoomPattern> patterns, RoomName room) {
        for (RoomPattern p : patterns) {
            if (p.matches(room)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads the value of a {@code rooms} claim as a JSON parser gives it (maps, lists, strings).
     *
     * @throws IllegalArgumentException with a message safe to show when the value is not of the documented form
     */
    public static Permissions fromClaim(Object rooms) {
        if (!(rooms instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("the rooms claim must be an object {\"subscribe\":[...],\"publish\":[...]}");
        }
        return new Permissions(patterns(map.get("subscribe"), "subscribe"), patterns(map.get("publish"), "publish"));
    }

    private static List<RoomPattern> patterns(Object list, String field) {
        if (list == null) {
            return List.of();
        }
        if (!(list instanceof List<?> items)) {
            throw new IllegalArgumentException("rooms." + field + " must be an array of room patterns");
        }
        if (items.size() > MAX_PATTERNS) {
            throw new IllegalArgumentException("rooms." + field + " has more than " + MAX_PATTERNS + " patterns");
        }
        List<RoomPattern> out = new ArrayList<>(items.size());
        for (Object item : items) {
            if (!(item instanceof String s)) {
                throw new IllegalArgumentException("rooms." + field + " must contain only strings");
            }
            try {
                out.add(RoomPattern.of(s));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rooms." + field + ": " + e.getMessage());
            }
        }
        return out;
    }
}
