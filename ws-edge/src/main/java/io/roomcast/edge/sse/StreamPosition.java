package io.roomcast.edge.sse;

import io.roomcast.position.Epoch;
import io.roomcast.room.RoomName;

/**
 * How far an SSE stream has delivered one room: every event of {@code room} in {@code epoch} up to
 * and including {@code offset} ({@code -1}: none yet, the room was empty when it went live).
 */
public record StreamPosition(RoomName room, Epoch epoch, long offset) {
    /** This position moved forward to {@code later} in the same epoch, or a new epoch's position. */
    StreamPosition advancedTo(Epoch newEpoch, long newOffset) {
        if (newEpoch.equals(epoch) && newOffset <= offset) {
            return this;
        }
        return new StreamPosition(room, newEpoch, newOffset);
    }
}
