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
 * The publishes with an eventId this edge has under way, is settling, or has written within the
 * window, per publisher, room and eventId — so a client that sends the same event again (after a
 * lost ack, or twice by mistake) waits for the first attempt and gets its offset instead of a
 * second copy. Bounded: the oldest entries go first once the limit is reached (counted), and
 * entries older than the window are forgotten.
 *
 * <p>Thread-safety: safe for concurrent use; one lock around a small map.
 */
public final class RecentPublishes {
    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Counter evicted;
    private final Map<Key, Attempt> entries = new LinkedHashMap<>();

    /** Whose event: the publisher's scope, the room and the publisher's eventId. */
    public record Key(PublisherScope publisher, RoomName room, String eventId) {
    }

    /**
     * One attempt to write an event: when it began (edge clock, ms) and its settled outcome, which
     * completes with the offset once the event is known to be in the log, or fails with
     * {@link NotWritten} once it is known not to be (and may be attempted again), or with another
     * exception when that could not be settled.
     */
    public record Attempt(long startedMillis, CompletableFuture<Long> settled) {
        public static Attempt startingAt(long millis) {
            return new Attempt(millis, new CompletableFuture<>());
        }
    }

    /** The attempt's outcome is settled: the event was not written. */
    public static final class NotWritten extends RuntimeException {
        public NotWritten() {
            super("not written", null, false, false);
        }
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
     * The earlier attempt of {@code key} when there is one within the window (maybe still under
     * way); otherwise null, and {@code attempt} becomes the one: its owner settles it, and calls
     * {@link #forget} before it fails it with {@link NotWritten} or leaves it unsettled.
     */
    public Attempt earlierOr(Key key, Attempt attempt) {
        long now = clock.millis();
        synchronized (entries) {
            expire(now);
            Attempt earlier = entries.get(key);
            if (earlier != null) {
                return earlier;
            }
            entries.put(key, attempt);
            if (entries.size() > limit) {
                Iterator<Attempt> oldest = entries.values().iterator();
                oldest.next();
                oldest.remove();
                evicted.increment();
            }
        }
        return null;
    }

    /** Forgets {@code attempt} if it is still the entry of {@code key}: the next publish of the key is a new attempt. */
    public void forget(Key key, Attempt attempt) {
        synchronized (entries) {
            entries.remove(key, attempt);
        }
    }

    private void expire(long now) {
        Iterator<Attempt> it = entries.values().iterator();
        while (it.hasNext() && now - it.next().startedMillis() >= window.toMillis()) {
            it.remove();
        }
    }

    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
