package io.roomcast.edge.session;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One IO thread's write buffer, as uWebSockets corks a socket: the frames a connection has queued
 * are copied here, header and payload, and leave in one write system call. It is direct memory, so
 * the socket write copies nothing more; it is shared by every connection of the thread, because a
 * flush empties it (onto the socket, or into the connection's own {@link Leftover} when the socket takes
 * less) before the next connection's flush begins. Bounded: {@link #CAPACITY} bytes per IO thread.
 *
 * <p>Thread-safety: used only by its IO thread.
 */
final class Cork {
    /** Twice the default largest message, so a full batch message fits. */
    static final int CAPACITY = 128 * 1024;

    final ByteBuffer bytes = ByteBuffer.allocateDirect(CAPACITY);
    /** Scratch for a run of joinable frames taken from a connection's queue. */
    final List<Outbound.Queued> run = new ArrayList<>();
    /** What the bytes stand for, released once written. */
    final Tally tally = new Tally();
    /** {@link System#nanoTime()} when the current flush task began: the writes' progress stamp. */
    long now;

    void reset() {
        bytes.clear();
        tally.reset();
    }
}
