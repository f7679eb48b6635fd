package io.roomcast.client;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * A publish waiting for its {@code ack}: its request id, its encoded frame, the caller's future and its deadline. One
 * with an event id outlives a lost connection: it is sent again, marked {@code retry} ({@link #asRetry()}), under the
 * same request id, future and deadline.
 *
 * @param id       the request id inside {@code frame}
 * @param room     the room
 * @param eventId  the publisher-chosen event id, or null
 * @param retry    {@code frame} carries {@code "retry":true}
 * @param frame    the encoded {@code publish} frame
 * @param result   completes with the acked offset or fails with a {@link RoomcastException}
 * @param deadline when it fails with {@link ErrorCode#TIMEOUT}, across every attempt
 */
record PendingPublish(long id, String room, String eventId, boolean retry, String frame, CompletableFuture<Long> result,
                      Instant deadline) {

    /** An edge can recognise an earlier write of it, so it may be sent again after a lost connection. */
    boolean resendable() {
        return eventId != null;
    }

    /** This publish as it is sent after a lost connection: marked {@code retry} (once). */
    PendingPublish asRetry() {
        if (!resendable()) {
            throw new IllegalStateException("a publish without eventId is never resent");
        }
        return retry ? this : new PendingPublish(id, room, eventId, true, FrameCodec.markedRetry(frame), result, deadline);
    }

    /** UTF-8 bytes of the largest frame it may go out as: a resendable one may be marked {@code retry} later. */
    long largestFrameBytes() {
        return FrameBatcher.utf8Length(frame) + (resendable() && !retry ? FrameCodec.RETRY_MARK_BYTES : 0);
    }
}
