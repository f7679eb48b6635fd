package io.roomcast.room;

/** A room whose namespace is not configured, so it has no topic. */
public final class UnknownNamespaceException extends IllegalArgumentException {
    public UnknownNamespaceException(RoomName room) {
        super("room " + room + " is in namespace \"" + room.namespace() + "\", which is not configured");
    }
}
