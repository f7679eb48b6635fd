package io.roomcast.producer;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Which offset of one partition may be committed: everything before the oldest prompt that has
 * not ended yet, or everything consumed when no prompt is open. So a prompt's offset is
 * committed only after its terminal event, and a restart re-reads exactly the unfinished ones.
 * Holds at most one entry per queued or running prompt. Used by the consumer thread only.
 */
final class PartitionProgress {
    private final TreeSet<Long> open = new TreeSet<>();
    private long consumed = -1;
    private long committed = -1;
    private long requested = -1;

    /** A prompt at {@code offset} was handed to the worker. */
    void dispatched(long offset) {
        open.add(offset);
    }

    /** Every record before {@code nextOffset} has been dispatched or skipped. */
    void consumed(long nextOffset) {
        consumed = Math.max(consumed, nextOffset);
    }

    /** The prompt at {@code offset} has its terminal event (or needed none). */
    void answered(long offset) {
        open.remove(offset);
    }

    /** The position to commit, if it moved beyond what was last committed or is being committed. */
    OptionalLong commitPosition() {
        if (consumed < 0) {
            return OptionalLong.empty();
        }
        long position = open.isEmpty() ? consumed : open.first();
        return position > requested ? OptionalLong.of(position) : OptionalLong.empty();
    }

    /** A commit of {@code position} was sent. */
    void commitRequested(long position) {
        requested = Math.max(requested, position);
    }

    /** Kafka confirmed the commit of {@code position}. */
    void commitSucceeded(long position) {
        committed = Math.max(committed, position);
    }

    /** A commit failed: the position is offered again. */
    void commitFailed() {
        requested = committed;
    }
}
