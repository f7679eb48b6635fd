package io.roomcast.edge.publish;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roomcast.publish.PublishLookup;
import io.roomcast.room.RoomName;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link Publishing} over a {@link FakePublisher}, with one worker thread that calls it as a session does. No Kafka:
 * its lookup points nowhere and is asked only by retries, which the tests using this do not send within their time.
 */
final class WorkerPublishing implements AutoCloseable {
    static final RoomName ROOM = RoomName.of("chat:a");

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final FakePublisher publisher = new FakePublisher();
    final ExecutorService worker;
    final Publishing publishing;
    private final PublisherScope alice;

    WorkerPublishing(String workerName, int recentEntries, PublishSettings settings) {
        this.worker = Executors.newSingleThreadExecutor(r -> new Thread(r, workerName));
        this.publishing = new Publishing(publisher, null,
                new PublishLookup("127.0.0.1:9", Map.of(), new PublishLookup.Limits(10, 10_000, 10), meters),
                new RecentPublishes(recentEntries, Duration.ofHours(2), Clock.systemUTC(), meters), settings,
                Duration.ofMinutes(1), worker, Clock.systemUTC(), meters);
        this.alice = publishing.scope(null, "alice-key-0123456789", "c1");
    }

    /** Calls {@link Publishing#publish} on the worker, as a session does. */
    CompletableFuture<Publishing.Outcome> publishOnWorker(String eventId, byte[] data) {
        Publishing.Request request = new Publishing.Request(ROOM, "message", data, eventId, false, alice);
        return CompletableFuture.supplyAsync(() -> publishing.publish(request), worker).thenCompose(f -> f);
    }

    /** Returns once the worker ran everything queued before this call. */
    void workerIdle() {
        CompletableFuture.runAsync(() -> { }, worker).join();
    }

    @Override
    public void close() throws InterruptedException {
        publishing.close();
        worker.shutdownNow();
        assertThat(worker.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
}
