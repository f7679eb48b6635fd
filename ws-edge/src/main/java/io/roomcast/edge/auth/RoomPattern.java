package io.roomcast.edge.auth;

import io.roomcast.room.RoomName;

import java.util.regex.Pattern;

/**
 * A pattern over room names, as used in the {@code rooms} claim: an exact room name
 * ({@code chat:lobby}), a prefix ending in {@code *} ({@code chat:*} = the whole {@code chat}
 * namespace, {@code chat:team/*} = every room starting with {@code chat:team/}), or {@code *}
 * alone (every room). A {@code *} anywhere but at the end is invalid. Immutable.
 */
public record RoomPattern(String value) {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:@/-]{0," + RoomName.MAX_LENGTH + "}\\*?");

    public RoomPattern {
        if (value == null || value.isEmpty() || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid room pattern" + (value == null ? "" : " \"" + printable(value) + "\"")
                    + ": expected a room name, a prefix ending in *, or *");
        }
    }

    public static RoomPattern of(String value) {
        return new RoomPattern(value);
    }

    public boolean matches(RoomName room) {
        if (value.endsWith("*")) {
            return room.value().startsWith(value.substring(0, value.length() - 1));
        }
        return room.value().equals(value);
    }

    /** Patterns come from tokens: quote at most a short, printable part in error messages. */
    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?").replace("\"", "'");
    }

    @Override
    public String toString() {
        return value;
    }
}
