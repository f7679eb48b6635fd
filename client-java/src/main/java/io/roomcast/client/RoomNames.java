package io.roomcast.client;

import java.util.regex.Pattern;

/** The room name rule of the protocol: 1-200 characters of {@code [A-Za-z0-9._:@/-]}. */
final class RoomNames {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:@/-]{1,200}");

    private RoomNames() {
    }

    /** Returns {@code room} or throws {@link IllegalArgumentException}: a bad name is a bug in the caller. */
    static String requireValid(String room) {
        if (room == null || !VALID.matcher(room).matches()) {
            throw new IllegalArgumentException("room name must be 1-200 characters of [A-Za-z0-9._:@/-]: " + room);
        }
        return room;
    }
}
