package io.roomcast.client;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * A publish waiting for its {@code ack}: its request id, its encoded frame, the caller's future and its deadline.
 *
 * @param id       the request id inside {@code frame}
 * @param room     the room
 * @param frame    the encoded {@code publish} frame
 * @param result   completes with the acked offset or fails with a {@link RoomcastException}
 * @param deadline when it fails with {@link ErrorCode#TIMEOUT}
 */
record PendingPublish(long id, String room, String frame, CompletableFuture<Long> result, Instant deadline) {
}
