package io.roomcast.edge.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.roomcast.room.RoomName;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The publishes with an eventId this edge has under way or has written within the window, so a
 * client that sends the same event again — after a lost ack, or twice by mistake — gets the first
 * one's offset instead of a second copy. Bounded: the oldest entries go first once the limit is
 * reached (counted), and entries older than the window are forgotten.
 *
 * <p>Thread-safety: safe for concurrent use; one lock around a small map.
 */
public final class RecentPublishes {
    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Counter evicted;
    private final Map<Key, Entry> entries = new LinkedHashMap<>();

    private record Key(RoomName room, String eventId) {
    }

    private record Entry(CompletableFuture<Long> offset, long createdMillis) {
    }

    public RecentPublishes(int limit, Duration window, Clock clock, MeterRegistry meters) {
        this.limit = limit;
        this.window = window;
        this.clock = clock;
        this.evicted = Counter.builder("roomcast.publish.dedupe.evicted")
                .description("publish ids forgotten before their window ended (limit " + limit + ")").register(meters);
        Gauge.builder("roomcast.publish.dedupe.entries", this, RecentPublishes::size)
                .description("publish ids remembered for deduplication (limit " + limit + ")").register(meters);
    }

    /**
     * The offset of the earlier publish of {@code eventId} in {@code room} when there is one within
     * the window (maybe still under way); otherwise null, and {@code attempt} becomes that publish:
     * the caller completes it with the offset Kafka acknowledged, or fails it (then it is forgotten).
     */
    public CompletableFuture<Long> earlierOr(RoomName room, String eventId, CompletableFuture<Long> attempt) {
        Key key = new Key(room, eventId);
        long now = clock.millis();
        synchronized (entries) {
            expire(now);
            Entry earlier = entries.get(key);
            if (earlier != null) {
                return earlier.offset;
            }
            entries.put(key, new Entry(attempt, now));
            if (entries.size() > limit) {
                Iterator<Entry> oldest = entries.values().iterator();
                oldest.next();
                oldest.remove();
                evicted.increment();
            }
        }
        attempt.whenComplete((offset, failure) -> {
            if (failure != null) {
                synchronized (entries) {
                    entries.remove(key, new Entry(attempt, now));
                }
            }
        });
        return null;
    }

    private void expire(long now) {
        Iterator<Entry> it = entries.values().iterator();
        while (it.hasNext() && now - it.next().createdMillis >= window.toMillis()) {
            it.remove();
        }
    }

    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
