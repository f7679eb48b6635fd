package io.roomcast.edge.subscription;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.roomcast.event.RoomEvent;
import io.roomcast.history.HistoryChunk;
import io.roomcast.history.HistoryReader;
import io.roomcast.history.PartitionBounds;
import io.roomcast.position.Epoch;
import io.roomcast.room.RoomName;
import io.roomcast.topic.RoomLocation;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * History reads shared by the subscriptions that catch up on the same room from the same offset: a
 * reconnect storm (hundreds of clients of one room asking for what they missed, all from about the
 * same offset) reads each chunk from Kafka once and hands every subscriber the same event objects,
 * whose frames are then encoded once ({@link io.roomcast.edge.protocol.EventFrames#encodeShared}). A read that finds the same
 * read in flight waits for it instead of asking Kafka again.
 *
 * <p>A chunk read from {@code from} is a contiguous piece {@code [from, next)} of the room's committed
 * history, which no later write changes; it answers any read from {@code from}: cut at the asker's
 * {@code until} and {@code maxEvents}, or shorter than asked (the asker continues from its
 * {@code next}). Keys carry the topic's epoch, so a recreated topic (offsets from 0 again) never gets
 * the old topic's chunks.
 *
 * <p>A partition's bounds are shared the same way while a lookup is in flight (resumes beyond the cache
 * ask for the log start): an answer that arrives after one was asked is as current as a fresh lookup.
 *
 * <p>A done chunk is kept for later readers only while its room is <em>crowded</em>: some read of the
 * room was shared (joined in flight or answered from a kept chunk) within the last
 * {@link #CROWD_WINDOW}. A client replaying a room alone has no one to keep its chunks for, and
 * keeping them (32 MB of a long replay's events held past every young collection) made the
 * collector copy and promote them: full collections of 70-120 ms every half second in a
 * 500,000-event replay, and half its speed.
 *
 * <p>Bounded in bytes (event data plus a per-event overhead), least recently used chunks leave
 * first; reads in flight are bounded by the history reader's queue; at most {@link #MAX_CROWDS}
 * crowded rooms are remembered. Thread-safety: any thread.
 */
public final class SharedReads {
    /** What an edge keeps: a storm of ten rooms' catch-ups with 100-event chunks of 1 KB events needs a few MB. */
    public static final long DEFAULT_BYTES = 32L * 1024 * 1024;
    /** Bytes counted per event beyond its data (the event object, its strings, the entry). */
    static final int EVENT_OVERHEAD = 160;
    /** How long a room stays crowded after a shared read: a storm's catch-ups take seconds, its chunks follow each other. */
    static final Duration CROWD_WINDOW = Duration.ofSeconds(10);
    /** Crowded rooms remembered at most (the least recently shared leave first). */
    static final int MAX_CROWDS = 4_096;

    private record Key(RoomLog log, long from) {
    }

    /** One room's history: a recreated topic (a new epoch) is another. */
    private record RoomLog(Epoch epoch, TopicPartition partition, RoomName room) {
        static RoomLog of(RoomLocation location) {
            return new RoomLog(location.epoch(), location.partition(), location.room());
        }
    }

    /** A read in flight ({@code bytes} 0) or done. */
    private static final class Entry {
        final CompletableFuture<HistoryChunk> chunk = new CompletableFuture<>();
        long bytes;
    }

    private final HistoryReader history;
    private final long maxBytes;
    private final Counter hits;
    private final Counter misses;
    private final Counter boundsJoined;
    private final LongSupplier nanoClock;
    /** Guarded by {@code this}; access order, so the eldest is the least recently used. */
    private final LinkedHashMap<Key, Entry> chunks = new LinkedHashMap<>(64, 0.75f, true);
    /** Guarded by {@code this}: when a read of each crowded room was last shared (nanotime); insertion order, refreshed by re-insertion. */
    private final LinkedHashMap<RoomLog, Long> crowds = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<RoomLog, Long> eldest) {
            return size() > MAX_CROWDS;
        }
    };
    private long bytes;
    /** Bounds lookups in flight, at most one per partition. */
    private final ConcurrentHashMap<TopicPartition, CompletableFuture<PartitionBounds>> bounds = new ConcurrentHashMap<>();

    /** @param maxBytes bytes of chunks kept for other readers (0: reads are only joined while in flight) */
    public SharedReads(HistoryReader history, long maxBytes, MeterRegistry meters) {
        this(history, maxBytes, meters, System::nanoTime);
    }

    SharedReads(HistoryReader history, long maxBytes, MeterRegistry meters, LongSupplier nanoClock) {
        this.history = history;
        this.maxBytes = maxBytes;
        this.nanoClock = nanoClock;
        this.hits = Counter.builder("roomcast.replay.shared.hits")
                .description("history reads answered by a chunk another subscription read (or is reading)").register(meters);
        this.misses = Counter.builder("roomcast.replay.shared.misses").description("history reads that went to Kafka").register(meters);
        this.boundsJoined = Counter.builder("roomcast.replay.shared.bounds")
                .description("log bounds lookups answered by one in flight for another subscription").register(meters);
        Gauge.builder("roomcast.replay.shared.bytes", this, SharedReads::bytes)
                .description("bytes of history chunks kept for other subscriptions (limit " + maxBytes + ")").register(meters);
        Gauge.builder("roomcast.replay.shared.crowds", this, SharedReads::crowdCount)
                .description("rooms whose history reads were shared lately, so their chunks are kept (limit " + MAX_CROWDS + ")")
                .register(meters);
    }

    /**
     * Up to {@code maxEvents} events of the room in {@code [from, until)}, possibly fewer (continue from
     * the chunk's {@code next}). Any thread; the future completes on a history reader's thread, or at once.
     */
    public CompletableFuture<HistoryChunk> read(RoomLocation location, long from, long until, int maxEvents) {
        Key key = new Key(RoomLog.of(location), from);
        Entry entry;
        boolean mine = false;
        synchronized (this) {
            entry = chunks.get(key);
            if (entry == null) {
                entry = new Entry();
                chunks.put(key, entry);
                mine = true;
            } else {
                crowds.remove(key.log());
                crowds.put(key.log(), nanoClock.getAsLong());
            }
        }
        if (mine) {
            misses.increment();
            Entry e = entry;
            history.read(location.partition(), location.room(), from, until, maxEvents).whenComplete((chunk, error) -> {
                if (error != null) {
                    forget(key, e);
                    e.chunk.completeExceptionally(error);
                } else {
                    keep(key, e, chunk);
                    e.chunk.complete(chunk);
                }
            });
        } else {
            hits.increment();
        }
        return entry.chunk.thenApply(chunk -> fit(chunk, until, maxEvents));
    }

    /**
     * The partition's log start and end, joining a lookup in flight. Any thread; the future completes on a
     * history reader's thread.
     */
    public CompletableFuture<PartitionBounds> bounds(TopicPartition partition) {
        CompletableFuture<PartitionBounds> mine = new CompletableFuture<>();
        CompletableFuture<PartitionBounds> inFlight = bounds.putIfAbsent(partition, mine);
        if (inFlight != null) {
            boundsJoined.increment();
            return inFlight;
        }
        history.bounds(partition).whenComplete((b, error) -> {
            bounds.remove(partition, mine);
            if (error != null) {
                mine.completeExceptionally(error);
            } else {
                mine.complete(b);
            }
        });
        return mine;
    }

    /** {@code chunk} cut to what the asker wants: nothing at or beyond {@code until}, at most {@code maxEvents}. */
    static HistoryChunk fit(HistoryChunk chunk, long until, int maxEvents) {
        List<RoomEvent> events = chunk.events();
        int n = 0;
        while (n < events.size() && n < maxEvents && events.get(n).offset() < until) {
            n++;
        }
        if (n == events.size()) {
            return chunk.next() <= until ? chunk : new HistoryChunk(events, until);
        }
        long next = n < maxEvents ? until : events.get(n).offset();
        return new HistoryChunk(new ArrayList<>(events.subList(0, n)), next);
    }

    /**
     * Whether {@code location}'s room is crowded (see the class comment): its events then reach several
     * subscribers, whose frames are worth remembering. Any thread (a subscription, once per chunk).
     */
    public synchronized boolean crowded(RoomLocation location) {
        return crowded(RoomLog.of(location));
    }

    /** Under this object's lock. */
    private boolean crowded(RoomLog log) {
        Long shared = crowds.get(log);
        return shared != null && nanoClock.getAsLong() - shared < CROWD_WINDOW.toNanos();
    }

    private synchronized void keep(Key key, Entry entry, HistoryChunk chunk) {
        if (chunks.get(key) != entry) {
            return;
        }
        if (!crowded(key.log())) {
            chunks.remove(key); // read alone: its waiters have it, and no one else is reading the room
            return;
        }
        long size = 0;
        for (RoomEvent e : chunk.events()) {
            size += e.data().length + EVENT_OVERHEAD;
        }
        entry.bytes = Math.max(EVENT_OVERHEAD, size);
        bytes += entry.bytes;
        Iterator<Map.Entry<Key, Entry>> eldest = chunks.entrySet().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            Entry old = eldest.next().getValue();
            if (old.bytes > 0) { // a read in flight stays: its waiters need it
                bytes -= old.bytes;
                eldest.remove();
            }
        }
    }

    private synchronized void forget(Key key, Entry entry) {
        chunks.remove(key, entry);
    }

    /** Bytes of chunks kept. Any thread (the metrics scrape). */
    public synchronized long bytes() {
        return bytes;
    }

    /** Crowded rooms remembered (some may have left their window). Any thread (the metrics scrape). */
    synchronized int crowdCount() {
        return crowds.size();
    }
}
