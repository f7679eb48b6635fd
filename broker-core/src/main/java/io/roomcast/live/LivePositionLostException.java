package io.roomcast.live;

/**
 * A subscription ended because the live tail lost its place in the room's partition (see
 * {@link LiveListener#onLiveLost}); resuming from the last delivered position reports the gap.
 */
public final class LivePositionLostException extends RuntimeException {
    public LivePositionLostException(String message) {
        super(message);
    }
}
