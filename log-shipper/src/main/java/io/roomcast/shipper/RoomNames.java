package io.roomcast.shipper;

import java.util.regex.Pattern;

/**
 * The room name rules of the architecture: 1-200 characters of {@code [A-Za-z0-9._:@/-]},
 * {@code namespace:name} or a bare name in the default namespace.
 */
final class RoomNames {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:@/-]{1,200}");

    private RoomNames() {
    }

    static void validate(String room) {
        if (room == null || !VALID.matcher(room).matches()) {
            throw new IllegalArgumentException("invalid room name '" + room
                    + "': use 1-200 characters of A-Z a-z 0-9 . _ : @ / -, for example logs:api");
        }
    }

    /** The namespace: the part before the first colon, or {@code ""} for the default namespace. */
    static String namespace(String room) {
        int colon = room.indexOf(':');
        return colon < 0 ? "" : room.substring(0, colon);
    }
}
