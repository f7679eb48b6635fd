package io.roomcast.edge.publish;

import io.roomcast.publish.Publisher;
import io.roomcast.room.RoomName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A publisher without Kafka: keeps each send, with the thread that issued it, for the test to complete. */
public final class FakePublisher implements Publisher {
    /** One send: what was written, from which thread, and its future (the test plays Kafka's acknowledgement). */
    public record Send(RoomName room, String type, String eventId, String thread, CompletableFuture<Long> written) {
    }

    private final List<Send> sends = new ArrayList<>();

    @Override
    public synchronized CompletableFuture<Long> publish(RoomName room, String type, byte[] data, String eventId, String publisher) {
        Send send = new Send(room, type, eventId, Thread.currentThread().getName(), new CompletableFuture<>());
        sends.add(send);
        return send.written();
    }

    public synchronized List<Send> sends() {
        return List.copyOf(sends);
    }

    @Override
    public Duration settleTime() {
        return Duration.ofSeconds(1);
    }

    @Override
    public void close() {
    }
}
