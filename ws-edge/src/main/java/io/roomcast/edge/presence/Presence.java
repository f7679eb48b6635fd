package io.roomcast.edge.presence;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.roomcast.room.RoomName;
import io.roomcast.room.RoomPartitioner;
import io.roomcast.side.SideTail;
import io.roomcast.topic.TopicRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Presence of one edge on the compacted presence topic. Each connection that subscribes with
 * {@code "presence":true} holds a lease per room, written at entry and renewed every third of the
 * TTL; a clean leave writes a tombstone; the leases of an edge that died expire on every other edge.
 * The edge reads only the partitions that hold rooms with presence subscribers (or a pending
 * {@code presence} query), from their beginning, and keeps the member lists of those partitions.
 *
 * <p>Thread-safety: public methods may be called from any thread but may wait on Kafka only through
 * the futures they return; listeners are called on the presence tail's thread or on the caller's thread.
 */
public final class Presence implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Presence.class);

    /** A room's presence as answered to a query: the members, unless there are more than the listing limit. */
    public record Snapshot(List<Member> members, int count, boolean listed) {
    }

    private record Held(RoomName room, Member member) {
    }

    private final PresenceConfig config;
    private final String edgeId = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    private final Producer<byte[], byte[]> producer;
    private final SideTail tail;
    private final TopicRegistry topics;
    /** The topic's partition count, looked up (and the topic created) on first use; 0 until then. */
    private volatile int partitions;
    private final PresenceTable table;
    /**
     * Listeners that have been told who is there, by room. Changed and read under the table's lock, as the table is:
     * a listener is told a change only if that change came after the members it was given.
     */
    private final Map<RoomName, Set<PresenceListener>> listeners = new HashMap<>();
    /** Leases this edge holds and renews, by key. */
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService renewer;
    private final Counter writeFailures;
    private volatile boolean closed;

    public Presence(PresenceConfig config, TopicRegistry topics, String bootstrapServers, Map<String, Object> consumerSettings,
                    Map<String, Object> producerSettings, Clock clock, MeterRegistry meters) {
        this.config = config;
        this.table = new PresenceTable(config.maxLeases());
        this.topics = topics;
        Map<String, Object> props = new HashMap<>(producerSettings);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5); // leases are not latency-critical: batch the renewals
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "roomcast-presence-" + edgeId);
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.tail = new SideTail(bootstrapServers, consumerSettings, config.topic(), SideTail.Start.BEGINNING, new Sink(), clock, meters);
        this.writeFailures = Counter.builder("roomcast.presence.write.failures").description("presence leases Kafka did not take")
                .register(meters);
        Gauge.builder("roomcast.presence.leases", this, p -> p.tableSize()).description("presence leases known to this edge (limit "
                + config.maxLeases() + ")").register(meters);
        FunctionCounter.builder("roomcast.presence.leases.refused", this, p -> p.refusedLeases())
                .description("leases ignored because the edge knew " + config.maxLeases() + " already").register(meters);
        Gauge.builder("roomcast.presence.held", held, Map::size).description("presence leases this edge holds and renews").register(meters);
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "roomcast-presence-renew");
            t.setDaemon(true);
            return t;
        });
        long every = config.renewEvery().toMillis();
        renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    public PresenceConfig config() {
        return config;
    }

    /** The presence id of a connection of this edge: unique across edges and restarts. */
    public String clientId(String sessionId) {
        return edgeId + "." + sessionId;
    }

    /**
     * Once the room's partition is read, tells the listener who is there (as joins, then
     * {@link PresenceListener#synced}), starts telling it the room's changes and writes the member's
     * lease. The future fails when Kafka does not take the lease; the caller then calls {@link #leave}.
     * The changes read while the partition is caught up (members who came and went before) are in
     * what it is told first, or not at all: never as joins and leaves of their own.
     *
     * <p>Changes, the member's own join included, are applied only as the tail reads them back from
     * the topic, never locally: so every edge sees them in the one order of the log, and a lease
     * written just before its tombstone cannot come back as a ghost join.
     */
    public CompletableFuture<Void> enter(RoomName room, Member member, PresenceListener listener) {
        int p;
        try {
            p = partition(room);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        String key = key(room, member.client());
        Held mine = new Held(room, member);
        held.put(key, mine);
        return tail.watch(p).thenCompose(ready -> {
            // Left while the partition was being read: the tombstone went out already, so nothing is told
            // or written after it. Compared by identity: the same connection may have entered the room
            // again meanwhile (a rename is a leave and an enter of the same key), and this entry's
            // stale lease must not overwrite the new one. Both entries wait on the same read, and the
            // later one may well be answered first.
            synchronized (table) {
                // Checked under the table's lock, which leave() takes to remove the listener after giving the lease up.
                if (!holds(key, mine)) {
                    return CompletableFuture.<Void>completedFuture(null);
                }
                table.members(room).forEach(m -> listener.changed(new PresenceTable.Change(room, m, true, table.count(room))));
                // Under the same lock and on the same thread: the client hears it after those joins and
                // before its own, whose lease is written below.
                listener.synced(room, table.count(room));
                listeners.computeIfAbsent(room, r -> new CopyOnWriteArraySet<>()).add(listener);
            }
            synchronized (held) {
                return held.get(key) == mine
                        ? write(room, member.client(), LeaseCodec.value(room, member, config.ttl()))
                        : CompletableFuture.<Void>completedFuture(null);
            }
        });
    }

    private boolean holds(String key, Held entry) {
        synchronized (held) {
            return held.get(key) == entry;
        }
    }

    /** Stops listening and removes the member's lease with a tombstone. */
    public void leave(RoomName room, String client, PresenceListener listener) {
        boolean wasHeld;
        synchronized (held) {
            // under the lock a renewal also takes: no lease of this key is sent after its tombstone
            wasHeld = held.remove(key(room, client)) != null;
            if (wasHeld && !closed) {
                write(room, client, null);
            }
        }
        synchronized (table) {
            // after the lease is given up: an entry being told who is there either added the listener before, or sees
            // the lease gone and adds nothing
            Set<PresenceListener> set = listeners.get(room);
            if (set != null) {
                set.remove(listener);
                if (set.isEmpty()) {
                    listeners.remove(room);
                }
            }
        }
        if (wasHeld) {
            tail.unwatch(partition(room));
        }
    }

    /** The room's presence; reads the room's partition first when no one on this edge listens to it. */
    public CompletableFuture<Snapshot> members(RoomName room) {
        int p;
        try {
            p = partition(room);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return tail.watch(p).thenApply(ready -> {
            synchronized (table) {
                int count = table.count(room);
                return count > config.maxListedMembers() ? new Snapshot(List.of(), count, false)
                        : new Snapshot(table.members(room), count, true);
            }
        }).whenComplete((s, e) -> tail.unwatch(p));
    }

    /**
     * The room's members now, as the table holds them. The presence tail's thread, from a listener's
     * {@link PresenceListener#changed}: that thread alone changes the table, so the list is the one right
     * after the change being told.
     */
    Snapshot current(RoomName room) {
        synchronized (table) {
            int count = table.count(room);
            return count > config.maxListedMembers() ? new Snapshot(List.of(), count, false) : new Snapshot(table.members(room), count, true);
        }
    }

    private CompletableFuture<Void> write(RoomName room, String client, byte[] value) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(config.topic(), partition(room), key(room, client).getBytes(java.nio.charset.StandardCharsets.UTF_8), value),
                    (metadata, failure) -> {
                        if (failure == null) {
                            done.complete(null);
                        } else {
                            writeFailures.increment();
                            done.completeExceptionally(failure);
                        }
                    });
        } catch (RuntimeException e) {
            writeFailures.increment();
            done.completeExceptionally(e);
        }
        return done;
    }

    private void renew() {
        try {
            synchronized (held) {
                held.values().forEach(h -> write(h.room, h.member.client(), LeaseCodec.value(h.room, h.member, config.ttl())));
            }
        } catch (RuntimeException e) {
            log.atWarn().setCause(e).log("presence renewal failed");
        }
    }

    /** Under the table's lock, right after the change: so a listener that was told the members misses none after them. */
    private void dispatch(PresenceTable.Change change) {
        if (change == null) {
            return;
        }
        Set<PresenceListener> set = listeners.get(change.room());
        if (set != null) {
            set.forEach(l -> l.changed(change));
        }
    }

    private int tableSize() {
        synchronized (table) {
            return table.size();
        }
    }

    private long refusedLeases() {
        synchronized (table) {
            return table.refused();
        }
    }

    /** May block on Kafka the first time (topic lookup or creation): call it from a worker thread first. */
    private int partition(RoomName room) {
        int n = partitions;
        if (n == 0) {
            n = topics.ensure(config.sideTopic()).partitions();
            partitions = n;
        }
        return RoomPartitioner.partition(room, n);
    }

    private static String key(RoomName room, String client) {
        return room.value() + " " + client;
    }

    /**
     * Stops renewing and reading without writing tombstones: the leases this edge held expire on
     * the other edges within the TTL, exactly as if the edge had died. A graceful shutdown ends the
     * sessions first, and they leave cleanly.
     */
    @Override
    public void close() {
        closed = true;
        renewer.shutdownNow();
        tail.close();
        producer.close(Duration.ofSeconds(2));
    }

    /** Reads the presence topic; runs on the tail's thread. */
    private final class Sink implements SideTail.Sink {
        @Override
        public void onRecord(ConsumerRecord<byte[], byte[]> record, long now) {
            var lease = LeaseCodec.decode(record.key(), record.value());
            if (lease.isEmpty()) {
                log.atDebug().addKeyValue("offset", record.offset()).log("ignoring a presence record no edge wrote");
                return;
            }
            var l = lease.get();
            synchronized (table) {
                dispatch(table.apply(record.partition(), l.room(), l.client(), l.member(), record.timestamp(), now, l.ttlMs()));
            }
        }

        @Override
        public void onReleased(int partition) {
            synchronized (table) {
                table.release(partition);
            }
        }

        @Override
        public void onTick(long now) {
            synchronized (table) {
                for (PresenceTable.Change change : table.expire(now)) {
                    if (!held.containsKey(key(change.room(), change.member().client()))) {
                        log.atInfo().addKeyValue("room", change.room()).addKeyValue("client", change.member().client())
                                .log("presence lease expired");
                    }
                    dispatch(change);
                }
            }
        }
    }
}
