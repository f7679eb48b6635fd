package io.roomcast.edge.presence;

import io.roomcast.room.RoomName;

/** Told when a member enters or leaves a room it listens to; called on the presence tail's thread or a worker, never blocking. */
interface PresenceListener {
    void changed(PresenceTable.Change change);

    /**
     * Told once per entry, after the joins of everyone present when the listener entered the room
     * (there may be none): joins and leaves from then on are changes. {@code count} is the room's
     * size at that moment.
     */
    void synced(RoomName room, int count);
}
