package io.roomcast.edge.ephemeral;

import java.nio.ByteBuffer;

/** Receives a room's ephemeral event frames; called on the ephemeral tail's thread, must not block. */
interface EphemeralListener {
    void deliver(ByteBuffer frame);
}
