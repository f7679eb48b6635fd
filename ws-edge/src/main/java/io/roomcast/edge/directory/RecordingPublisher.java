package io.roomcast.edge.directory;

import io.roomcast.publish.Publisher;
import io.roomcast.room.RoomName;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A publisher that notes in the room directory every room a client published into through this
 * edge (system rooms aside). Threading: as the wrapped publisher; the directory write never blocks.
 */
public final class RecordingPublisher implements Publisher {
    private final Publisher publisher;
    private final RoomDirectory directory;

    public RecordingPublisher(Publisher publisher, RoomDirectory directory) {
        this.publisher = publisher;
        this.directory = directory;
    }

    @Override
    public CompletableFuture<Long> publish(RoomName room, String type, byte[] data, String eventId, String publisherScope) {
        CompletableFuture<Long> written = publisher.publish(room, type, data, eventId, publisherScope);
        written.thenRun(() -> directory.touched(room, "edge"));
        return written;
    }

    @Override
    public Duration settleTime() {
        return publisher.settleTime();
    }

    @Override
    public void close() {
        publisher.close();
    }
}
