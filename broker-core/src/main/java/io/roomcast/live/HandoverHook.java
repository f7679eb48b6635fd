package io.roomcast.live;

/**
 * Called exactly once when a listener's hand-over offset is fixed, under the same lock as live
 * dispatch: every event dispatched to the listener afterwards has offset at or above
 * {@code handover}, and every event of the room below it is history. Must not block.
 */
@FunctionalInterface
public interface HandoverHook {
    void atHandover(long handover);
}
