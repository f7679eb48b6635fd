package io.roomcast.room;

/** A room name that breaks the naming rules of {@link RoomName}. */
public final class InvalidRoomNameException extends IllegalArgumentException {
    public InvalidRoomNameException(String name) {
        super("invalid room name " + abbreviate(name)
                + ": use 1-" + RoomName.MAX_LENGTH + " characters of A-Z a-z 0-9 . _ : @ / -");
    }

    private static String abbreviate(String name) {
        if (name == null) {
            return "(none)";
        }
        return name.length() > 60 ? '"' + name.substring(0, 60) + "...\"" : '"' + name + '"';
    }
}
