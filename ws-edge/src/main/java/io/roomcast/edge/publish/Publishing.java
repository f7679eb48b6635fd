package io.roomcast.edge.publish;

import io.roomcast.history.HistoryReader;
import io.roomcast.publish.Publisher;
import io.roomcast.room.RoomName;
import io.roomcast.topic.TopicRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes client events into Kafka at most once per eventId within a window. A publish without
 * an eventId is simply written. One with an eventId is answered with the earlier offset when this
 * edge wrote (or is writing) the same eventId in the room within the window; a publish marked
 * {@code retry} — a client sending again after a lost connection, maybe to another edge — is also
 * looked up in the room's partition in Kafka (records of the window), so it is not written twice
 * whichever edge took the first attempt.
 *
 * <p>Threading: may block briefly (topic lookup); call it from a worker thread, never an IO thread.
 */
public final class Publishing {
    private final Publisher publisher;
    private final TopicRegistry topics;
    private final HistoryReader history;
    private final RecentPublishes recent;
    private final Duration window;
    private final Clock clock;

    /** Where a published event stands: its offset, and whether it had been written before. */
    public record Outcome(long offset, boolean duplicate) {
    }

    public Publishing(Publisher publisher, TopicRegistry topics, HistoryReader history, RecentPublishes recent, Duration window,
                      Clock clock) {
        this.publisher = publisher;
        this.topics = topics;
        this.history = history;
        this.recent = recent;
        this.window = window;
        this.clock = clock;
    }

    public CompletableFuture<Outcome> publish(RoomName room, String type, byte[] data, String eventId, boolean retry) {
        if (eventId == null) {
            return publisher.publish(room, type, data, null).thenApply(offset -> new Outcome(offset, false));
        }
        CompletableFuture<Long> attempt = new CompletableFuture<>();
        CompletableFuture<Long> earlier = recent.earlierOr(room, eventId, attempt);
        if (earlier != null) {
            return earlier.thenApply(offset -> new Outcome(offset, true));
        }
        CompletableFuture<Outcome> outcome;
        try {
            CompletableFuture<OptionalLong> written = retry
                    ? history.findEvent(topics.locate(room).partition(), room, eventId, clock.millis() - window.toMillis())
                    : CompletableFuture.completedFuture(OptionalLong.empty());
            outcome = written.thenCompose(found -> found.isPresent()
                    ? CompletableFuture.completedFuture(new Outcome(found.getAsLong(), true))
                    : publisher.publish(room, type, data, eventId).thenApply(offset -> new Outcome(offset, false)));
        } catch (RuntimeException e) {
            // The topic lookup failed (Kafka unreachable): nothing was written, so a later attempt may write.
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((o, failure) -> {
            if (failure != null) {
                attempt.completeExceptionally(failure);
            } else {
                attempt.complete(o.offset());
            }
        });
        return outcome;
    }
}
