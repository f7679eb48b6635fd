package io.roomcast.edge.presence;

/** Told when a member enters or leaves a room it listens to; called on the presence tail's thread or a worker, never blocking. */
interface PresenceListener {
    void changed(PresenceTable.Change change);
}
