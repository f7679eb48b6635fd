package io.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ClientPublishQueueTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private static PendingPublish publish(long id, long deadlineMs) {
        return new PendingPublish(id, "r", "{\"id\":" + id + "}", new CompletableFuture<>(), T0.plusMillis(deadlineMs));
    }

    @Test
    void shouldRefuseReservationsAboveTheLimitAndGiveSlotsBack() {
        PublishQueue queue = new PublishQueue(2);
        assertThat(queue.tryReserve()).isTrue();
        assertThat(queue.tryReserve()).isTrue();
        assertThat(queue.tryReserve()).isFalse();
        assertThat(queue.size()).isEqualTo(2);
        queue.unreserve();
        assertThat(queue.tryReserve()).isTrue();
        assertThat(queue.tryReserve()).isFalse();
    }

    @Test
    void shouldSendQueuedPublishesInCallOrderAndMatchAnswersById() {
        PublishQueue queue = new PublishQueue(10);
        for (long id = 1; id <= 3; id++) {
            queue.tryReserve();
            queue.enqueue(publish(id, 1000));
        }
        assertThat(queue.drainForSending()).extracting(PendingPublish::id).containsExactly(1L, 2L, 3L);
        assertThat(queue.queuedCount()).isZero();
        assertThat(queue.inFlightCount()).isEqualTo(3);
        assertThat(queue.answered(2L).id()).isEqualTo(2);
        assertThat(queue.answered(2L)).isNull();
        assertThat(queue.answered(99L)).isNull();
        assertThat(queue.answered(null)).isNull();
        assertThat(queue.size()).isEqualTo(2);
    }

    @Test
    void shouldFailOnlyInFlightPublishesWhenTheConnectionIsLost() {
        PublishQueue queue = new PublishQueue(10);
        queue.tryReserve();
        queue.enqueue(publish(1, 1000));
        queue.drainForSending();
        queue.tryReserve();
        queue.enqueue(publish(2, 1000));
        assertThat(queue.lostInFlight()).extracting(PendingPublish::id).containsExactly(1L);
        assertThat(queue.queuedCount()).isEqualTo(1);
        assertThat(queue.size()).isEqualTo(1);
    }

    @Test
    void shouldExpireQueuedAndInFlightPublishesAtTheirDeadline() {
        PublishQueue queue = new PublishQueue(10);
        queue.tryReserve();
        queue.enqueue(publish(1, 100));
        queue.drainForSending();
        queue.tryReserve();
        queue.enqueue(publish(2, 200));
        queue.tryReserve();
        queue.enqueue(publish(3, 300));
        assertThat(queue.expired(T0.plusMillis(99))).isEmpty();
        assertThat(queue.expired(T0.plusMillis(200))).extracting(PendingPublish::id).containsExactlyInAnyOrder(1L, 2L);
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.removeAll()).extracting(PendingPublish::id).containsExactly(3L);
        assertThat(queue.size()).isZero();
    }
}
