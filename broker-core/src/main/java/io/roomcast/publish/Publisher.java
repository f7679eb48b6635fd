package io.roomcast.publish;

import io.roomcast.room.RoomName;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Writes room events to the event log.
 *
 * <p>Delivery: the future completes with the event's offset only after the log acknowledged the
 * write durably. It fails with a {@link PublishException}: {@link PublishException#definite()}
 * when the event was certainly not written, {@link PublishException.Reason#OUTCOME_UNKNOWN} when
 * the write may still land; that is settled {@link #settleTime()} after the publish began.
 * Ordering: events published through one publisher into one room keep their order.
 */
public interface Publisher extends AutoCloseable {

    /** Header naming who published an event with an id, so ids are deduplicated per publisher (see docs/security.md). */
    String PUBLISHER_HEADER = "publisher";

    /**
     * Publishes an event; {@code publisher} (nullable) goes into the {@link #PUBLISHER_HEADER}
     * header, which scopes {@code eventId}.
     */
    CompletableFuture<Long> publish(RoomName room, String type, byte[] data, String eventId, String publisher);

    /** Publishes an event without a publisher header (its eventId, if any, belongs to no client). */
    default CompletableFuture<Long> publish(RoomName room, String type, byte[] data, String eventId) {
        return publish(room, type, data, eventId, null);
    }

    /**
     * How long after a publish began its outcome is settled: a write that was not acknowledged is
     * then either in the log or never will be (the producer's delivery timeout, plus the time the
     * broker may still hold a request that reached it).
     */
    Duration settleTime();

    @Override
    void close();
}
