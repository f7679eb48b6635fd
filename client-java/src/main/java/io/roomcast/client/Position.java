package io.roomcast.client;

import java.util.Objects;

/**
 * A resumable position in a room: the Kafka offset of the last event seen (or the {@code live} offset, which is a
 * valid resume position even when no event had it) and the epoch that offset belongs to. Persist it to resume in
 * another process with {@link From#after(long, String)}.
 *
 * @param offset the last delivered offset; {@code -1} means "before the first event of the room"
 * @param epoch  the opaque epoch string from the edge's {@code subscribed} frame
 */
public record Position(long offset, String epoch) {

    public Position {
        Objects.requireNonNull(epoch, "epoch");
        if (offset < -1) {
            throw new IllegalArgumentException("offset must be >= -1: " + offset);
        }
    }

    /** The {@code from} that resumes right after this position. */
    public From toFrom() {
        return From.after(offset, epoch);
    }
}
