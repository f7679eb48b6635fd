package io.roomcast.edge.publish;

import io.roomcast.publish.PublishException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The threading contract of {@link Publishing}: every Kafka send is issued from a worker thread,
 * also when a publish waited for an earlier attempt whose outcome was settled on the producer's
 * thread (here: the test's). No Kafka: the lookup is never asked (no retry), and the publisher is a fake.
 */
class PublishingThreadsTest {
    private static final String WORKER = "test-worker";

    private final WorkerPublishing fixture = new WorkerPublishing(WORKER, 100, PublishSettings.defaults());
    private final FakePublisher publisher = fixture.publisher;

    @AfterEach
    void close() throws InterruptedException {
        fixture.close();
    }

    private CompletableFuture<Publishing.Outcome> publishOnWorker(String eventId) {
        return fixture.publishOnWorker(eventId, new byte[]{'1'});
    }

    @Test
    void shouldSendAResendFromAWorkerAfterTheEarlierAttemptFailedOnTheProducersThread() {
        CompletableFuture<Publishing.Outcome> first = publishOnWorker("e1");
        await().until(() -> publisher.sends().size() == 1);
        CompletableFuture<Publishing.Outcome> second = publishOnWorker("e1");
        // The worker runs one task at a time: once this one ran, the second waits for the first attempt's outcome.
        fixture.workerIdle();
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
