package io.roomcast.edge.publish;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roomcast.publish.PublishException;
import io.roomcast.publish.PublishLookup;
import io.roomcast.room.RoomName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Publishes whose outcome Kafka left unknown wait for their settle time (an hour here) before they
 * are looked up; at most {@link Publishing#SETTLING_LIMIT} wait at once, so a Kafka that times out
 * every write cannot fill the edge's timer. The one beyond is left unsettled, counted, and holds
 * nothing. No Kafka: the publisher is a fake, and nothing is looked up within the test.
 */
class PublishingUnknownOutcomesTest {
    private static final RoomName ROOM = RoomName.of("chat:a");

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final FakePublisher publisher = new FakePublisher();
    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    private final Publishing publishing = new Publishing(publisher, null,
            new PublishLookup("127.0.0.1:9", Map.of(), new PublishLookup.Limits(10, 10_000, 10), meters),
            new RecentPublishes(2 * Publishing.SETTLING_LIMIT, Duration.ofHours(2), Clock.systemUTC(), meters),
            PublishSettings.defaults().withRetrySettle(Duration.ofHours(1)), Duration.ofMinutes(1), worker, Clock.systemUTC(), meters);
    private final PublisherScope alice = publishing.scope(null, "alice-key-0123456789", "c1");

    @AfterEach
    void close() throws InterruptedException {
        publishing.close();
        worker.shutdownNow();
        assertThat(worker.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private CompletableFuture<Publishing.Outcome> publishOnWorker(String eventId) {
        Publishing.Request request = new Publishing.Request(ROOM, "message", new byte[256], eventId, false, alice);
        return CompletableFuture.supplyAsync(() -> publishing.publish(request), worker).thenCompose(f -> f);
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    @Test
    void shouldSettleAtMostItsLimitOfUnknownOutcomesAtOnce() {
        int attempts = Publishing.SETTLING_LIMIT + 1;
        List<CompletableFuture<Publishing.Outcome>> answers = new ArrayList<>(attempts);
        for (int i = 0; i < attempts; i++) {
            answers.add(publishOnWorker("e" + i));
        }
        await().until(() -> publisher.sends().size() == attempts);
        // Kafka times out every one of them: each may still land.
        for (FakePublisher.Send send : publisher.sends()) {
            send.written().completeExceptionally(new PublishException(PublishException.Reason.OUTCOME_UNKNOWN, "timed out", null));
        }
        await().until(() -> answers.stream().allMatch(CompletableFuture::isCompletedExceptionally));

        assertThat(gauge("roomcast.publish.unknown")).isEqualTo(Publishing.SETTLING_LIMIT);
        assertThat(gauge("roomcast.publish.settling")).isEqualTo(Publishing.SETTLING_LIMIT);
        assertThat(meters.get("roomcast.publish.unknown.unsettled").counter().count()).isEqualTo(1);

        // A resend of one that is settling waits for its settle time: nothing is sent again.
        CompletableFuture<Publishing.Outcome> resend = publishOnWorker("e0");
        CompletableFuture.runAsync(() -> { }, worker).join();
        assertThat(resend).isNotDone();
        assertThat(publisher.sends()).hasSize(attempts);
    }
}
