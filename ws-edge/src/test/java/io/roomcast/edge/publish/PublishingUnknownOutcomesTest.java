package io.roomcast.edge.publish;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roomcast.publish.PublishException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Publishes whose outcome Kafka left unknown wait for their settle time (an hour here) before they
 * are looked up; at most {@link Publishing#SETTLING_LIMIT} wait at once, so a Kafka that times out
 * every write cannot fill the edge's timer. The one beyond is left unsettled, counted, and holds
 * nothing. No Kafka: the publisher is a fake, and nothing is looked up within the test.
 */
class PublishingUnknownOutcomesTest {
    private final WorkerPublishing fixture = new WorkerPublishing("test-worker", 2 * Publishing.SETTLING_LIMIT,
            PublishSettings.defaults().withRetrySettle(Duration.ofHours(1)));
    private final FakePublisher publisher = fixture.publisher;
    private final SimpleMeterRegistry meters = fixture.meters;

    @AfterEach
    void close() throws InterruptedException {
        fixture.close();
    }

    private CompletableFuture<Publishing.Outcome> publishOnWorker(String eventId) {
        return fixture.publishOnWorker(eventId, new byte[256]);
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
        fixture.workerIdle();
        assertThat(resend).isNotDone();
        assertThat(publisher.sends()).hasSize(attempts);
    }
}
