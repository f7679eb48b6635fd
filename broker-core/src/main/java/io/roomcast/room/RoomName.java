package io.roomcast.room;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A validated room name: 1–200 characters of {@code [A-Za-z0-9._:@/-]}. The part before the first
 * colon is the namespace; a name without a colon is in the default namespace ({@code ""}).
 * The name is also the Kafka record key (UTF-8), so any producer can publish into a room.
 */
public record RoomName(String value) implements Comparable<RoomName> {
    public static final int MAX_LENGTH = 200;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:@/-]{1," + MAX_LENGTH + "}");

    public RoomName {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new InvalidRoomNameException(value);
        }
    }

    public static RoomName of(String value) {
        return new RoomName(value);
    }

    /** Whether {@code value} is a valid room name, without throwing. */
    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    /** The namespace: the part before the first colon, or {@code ""} for the default namespace. */
    public String namespace() {
        int colon = value.indexOf(':');
        return colon < 0 ? Namespace.DEFAULT_NAME : value.substring(0, colon);
    }

    public byte[] keyBytes() {
        return value.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public int compareTo(RoomName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
