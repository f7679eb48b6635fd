package io.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientPublishQueueTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private static PendingPublish publish(long id, long deadlineMs) {
        return new PendingPublish(id, "r", null, false, "{\"id\":" + id + "}", new CompletableFuture<>(),
                T0.plusMillis(deadlineMs));
    }

    /** {@code p} without event id, {@code k} with one, {@code r} with one and already marked retry by the caller. */
    private static PendingPublish publish(long id, char kind) {
        String eventId = kind == 'p' ? null : "e-" + id;
        String frame = "{\"id\":" + id + (kind == 'r' ? ",\"retry\":true" : "") + "}";
        return new PendingPublish(id, "r", eventId, kind == 'r', frame, new CompletableFuture<>(), T0.plusMillis(id));
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

    @ParameterizedTest(name = "in flight [{0}] -> fail [{1}], resend then [{2}]")
    @CsvSource(delimiter = '|', value = {
            // in flight (ids 1..n) | fail with CONNECTION_LOST | sent on the next connection (9: queued later)
            "k p     | 2   | 1 9",
            "p p     | 1 2 | 9",
            "k k     |     | 1 2 9",
            "p k p k | 1 3 | 2 4 9",
            "r p     | 2   | 1 9",
            "        |     | 9",
    })
    void shouldResendKeyedInFlightPublishesFirstAndFailTheOthersWhenTheConnectionIsLost(String inFlight, String failed,
                                                                                      String resent) {
        PublishQueue queue = new PublishQueue(10);
        String kinds = inFlight == null ? "" : inFlight.replace(" ", "");
        for (int i = 0; i < kinds.length(); i++) {
            queue.tryReserve();
            queue.enqueue(publish(i + 1, kinds.charAt(i)));
        }
        queue.drainForSending();
        queue.tryReserve();
        queue.enqueue(publish(9, 'k'));

        assertThat(queue.connectionLost()).extracting(PendingPublish::id).containsExactlyElementsOf(ids(failed));
        assertThat(queue.inFlightCount()).isZero();
        assertThat(queue.size()).as("resent publishes keep their slots").isEqualTo(ids(resent).size());
        List<PendingPublish> next = queue.drainForSending();
        assertThat(next).extracting(PendingPublish::id).containsExactlyElementsOf(ids(resent));
        for (PendingPublish p : next) {
            boolean wasInFlight = p.id() != 9;
            assertThat(p.retry()).as("publish %d marked retry", p.id()).isEqualTo(wasInFlight);
            assertThat(p.frame().split("\"retry\"", -1)).as("one retry mark in " + p.frame()).hasSize(wasInFlight ? 2 : 1);
            assertThat(p.deadline()).isEqualTo(T0.plusMillis(p.id()));
        }
    }

    @Test
    void shouldRefuseToResendAPublishWithoutEventId() {
        assertThatThrownBy(() -> publish(1, 'p').asRetry()).isInstanceOf(IllegalStateException.class);
        assertThat(publish(1, 'k').largestFrameBytes()).isEqualTo(publish(1, 'p').frame().length() + FrameCodec.RETRY_MARK_BYTES);
        assertThat(publish(1, 'p').largestFrameBytes()).isEqualTo(publish(1, 'p').frame().length());
    }

    private static List<Long> ids(String list) {
        return list == null ? List.of() : Arrays.stream(list.trim().split(" +")).map(Long::valueOf).toList();
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
        assertThat(queue.expired(T0.plusMillis(200))).extracting(u -> u.publish().id(), PublishQueue.Unfinished::maybeWritten)
                .containsExactlyInAnyOrder(tuple(1L, true), tuple(2L, false));
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.removeAll()).extracting(u -> u.publish().id(), PublishQueue.Unfinished::maybeWritten)
                .containsExactly(tuple(3L, false));
        assertThat(queue.size()).isZero();
    }
}
