package io.roomcast.edge.publish;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roomcast.publish.PublishException;
import io.roomcast.publish.PublishLookup;
import io.roomcast.room.RoomName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The threading contract of {@link Publishing}: every Kafka send is issued from a worker thread,
 * also when a publish waited for an earlier attempt whose outcome was settled on the producer's
 * thread (here: the test's). No Kafka: the lookup is never asked (no retry), and the publisher is a fake.
 */
class PublishingThreadsTest {
    private static final RoomName ROOM = RoomName.of("chat:a");
    private static final String WORKER = "test-worker";

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final FakePublisher publisher = new FakePublisher();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, WORKER));
    private final Publishing publishing = new Publishing(publisher, null,
            new PublishLookup("127.0.0.1:9", Map.of(), new PublishLookup.Limits(10, 10_000, 10), meters),
            new RecentPublishes(100, Duration.ofMinutes(1), Clock.systemUTC(), meters), PublishSettings.defaults(),
            Duration.ofMinutes(1), worker, Clock.systemUTC(), meters);
    private final PublisherScope alice = publishing.scope(null, "alice-key-0123456789", "c1");

    @AfterEach
    void close() throws InterruptedException {
        publishing.close();
        worker.shutdownNow();
        assertThat(worker.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    /** Calls {@link Publishing#publish} on the worker, as a session does. */
    private CompletableFuture<Publishing.Outcome> publishOnWorker(String eventId) {
        Publishing.Request request = new Publishing.Request(ROOM, "message", new byte[]{'1'}, eventId, false, alice);
        return CompletableFuture.supplyAsync(() -> publishing.publish(request), worker).thenCompose(f -> f);
    }

    @Test
    void shouldSendAResendFromAWorkerAfterTheEarlierAttemptFailedOnTheProducersThread() {
        CompletableFuture<Publishing.Outcome> first = publishOnWorker("e1");
        await().until(() -> publisher.sends().size() == 1);
        CompletableFuture<Publishing.Outcome> second = publishOnWorker("e1");
        // The worker runs one task at a time: once this one ran, the second waits for the first attempt's outcome.
        CompletableFuture.runAsync(() -> { }, worker).join();
        assertThat(publisher.sends()).hasSize(1);
        assertThat(second).isNotDone();

        // Kafka refuses the first attempt definitely; the failure arrives on this ("the producer's") thread.
        publisher.sends().get(0).written().completeExceptionally(
                new PublishException(PublishException.Reason.UNAVAILABLE, "Kafka is unavailable", null));
        await().until(() -> publisher.sends().size() == 2);
        assertThat(first).isCompletedExceptionally();

        publisher.sends().get(1).written().complete(5L);
        assertThat(second.join()).isEqualTo(new Publishing.Outcome(5, false));
        assertThat(publisher.sends()).extracting(FakePublisher.Send::thread).containsOnly(WORKER);
    }

    @Test
    void shouldAnswerAResendOfAWrittenEventWithItsOffsetWithoutASecondSend() {
        CompletableFuture<Publishing.Outcome> first = publishOnWorker("e2");
        await().until(() -> publisher.sends().size() == 1);
        CompletableFuture<Publishing.Outcome> second = publishOnWorker("e2");
        publisher.sends().get(0).written().complete(9L);
        assertThat(first.join()).isEqualTo(new Publishing.Outcome(9, false));
        assertThat(second.join()).isEqualTo(new Publishing.Outcome(9, true));
        assertThat(publishOnWorker("e2").join()).isEqualTo(new Publishing.Outcome(9, true));
        assertThat(publisher.sends()).hasSize(1);
    }
}
