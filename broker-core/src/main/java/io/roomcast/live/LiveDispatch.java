package io.roomcast.live;

import io.roomcast.room.RoomName;
import org.apache.kafka.common.TopicPartition;

import java.util.concurrent.CompletableFuture;

/**
 * Where a subscriber registers for a room's live events, with an exact hand-over offset (see
 * {@link HandoverHook}). {@link LiveTail} is the Kafka-backed one; tests use fakes.
 *
 * <p>Thread-safety: every method may be called from any thread, but never while holding a lock
 * that a {@link LiveListener} or {@link HandoverHook} takes: dispatch holds the partition's lock
 * while it calls them.
 */
public interface LiveDispatch {
    /**
     * Registers {@code listener} for the live events of {@code room} in {@code partition}; {@code hook}
     * is called with the hand-over offset L before any event at or above L reaches the listener.
     * Completes with the hand-over, or exceptionally when the partition's end cannot be told in time.
     */
    CompletableFuture<Handover> register(RoomName room, TopicPartition partition, int historySize, LiveListener listener,
                                         HandoverHook hook);

    /**
     * Fixes a new hand-over offset for a listener that is already registered (a subscriber that fell
     * behind and catches up again); {@code hook} is called with it first.
     *
     * @throws IllegalStateException when the listener is not registered (any more)
     */
    Handover recapture(RoomName room, TopicPartition partition, LiveListener listener, HandoverHook hook);

    void unregister(RoomName room, TopicPartition partition, LiveListener listener);

    /**
     * The next offset live dispatch will deliver in {@code partition}, or -1 when it is not tailed. Any thread,
     * without waiting for a dispatch under way (which it may already count).
     */
    long position(TopicPartition partition);
}
