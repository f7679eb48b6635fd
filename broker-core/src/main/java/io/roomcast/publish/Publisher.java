package io.roomcast.publish;

import io.roomcast.room.RoomName;

import java.util.concurrent.CompletableFuture;

/**
 * Writes room events to the event log.
 *
 * <p>Delivery: the future completes with the event's offset only after the log acknowledged the
 * write durably; it fails with a {@link PublishException} when the event was not written (or, after
 * a timeout, may rarely have been: publishers that care set an event id).
 * Ordering: events published through one publisher into one room keep their order.
 */
public interface Publisher extends AutoCloseable {

    CompletableFuture<Long> publish(RoomName room, String type, byte[] data, String eventId);

    @Override
    void close();
}
