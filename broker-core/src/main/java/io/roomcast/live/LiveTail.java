package io.roomcast.live;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.roomcast.history.CacheBudget;
import io.roomcast.kafka.ConsumerDefaults;
import io.roomcast.room.RoomName;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The live tail of one edge: a single {@link KafkaConsumer} (assigned partitions, no consumer
 * group — every edge needs every event of the rooms it serves) on one owner thread, dispatching
 * each record to the listeners of its room, in offset order, and feeding the per-room history
 * cache.
 *
 * <p>A partition is tailed from its end offset when its first room is registered, and then for
 * the life of the tail. {@link #register} fixes a listener's hand-over offset atomically with
 * dispatch (see {@link HandoverHook}).
 *
 * <p>Thread-safety: every public method may be called from any thread. Listeners are called on
 * the tail's own thread.
 */
public final class LiveTail implements LiveDispatch, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveTail.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration POSITION_TIMEOUT = Duration.ofSeconds(10);
    private static final int COMMAND_LIMIT = 10_000;

    private final Map<TopicPartition, PartitionTail> partitions = new ConcurrentHashMap<>();
    private final BlockingQueue<Command> commands = new ArrayBlockingQueue<>(COMMAND_LIMIT);
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final int idleRoomsPerPartition;
    private final CacheBudget budget;
    private final DispatchBatch batch;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long lastLoopNanos = System.nanoTime();

    /**
     * @param cacheBytes bytes of events all room history caches may hold together (see {@link CacheBudget})
     */
    public LiveTail(String bootstrapServers, Map<String, Object> consumerOverrides, int idleRoomsPerPartition, long cacheBytes,
                    MeterRegistry meters) {
        this(bootstrapServers, consumerOverrides, idleRoomsPerPartition, cacheBytes, DispatchBatch.NONE, meters);
    }

    /**
     * @param cacheBytes bytes of events all room history caches may hold together (see {@link CacheBudget})
     * @param batch      told where each poll's dispatch begins and ends, on the tail's thread
     */
    public LiveTail(String bootstrapServers, Map<String, Object> consumerOverrides, int idleRoomsPerPartition, long cacheBytes,
                    DispatchBatch batch, MeterRegistry meters) {
        this.budget = new CacheBudget(cacheBytes);
        this.batch = batch;
        Map<String, Object> props = consumerDefaults("roomcast-live-" + Integer.toHexString(System.identityHashCode(this)))
                .under(bootstrapServers, consumerOverrides);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(consumer).bindTo(meters);
        this.idleRoomsPerPartition = idleRoomsPerPartition;
        Gauge.builder("roomcast.live.partitions", partitions, Map::size)
                .description("partitions tailed by the live consumer").register(meters);
        Gauge.builder("roomcast.history.rooms", this, t -> t.partitions.values().stream().mapToLong(PartitionTail::cachedRooms).sum())
                .description("rooms with a history cache").register(meters);
        Gauge.builder("roomcast.history.events", this, t -> t.partitions.values().stream().mapToLong(PartitionTail::cachedEvents).sum())
                .description("events held in history caches").register(meters);
        Gauge.builder("roomcast.history.bytes", budget, CacheBudget::used).baseUnit("bytes")
                .description("bytes of events held in history caches (limit " + cacheBytes + ")").register(meters);
        Gauge.builder("roomcast.live.listeners", this, t -> t.partitions.values().stream().mapToLong(PartitionTail::listeners).sum())
                .description("subscriptions registered for live dispatch").register(meters);
        Gauge.builder("roomcast.live.commands", commands, BlockingQueue::size)
                .description("pending live tail commands (limit " + COMMAND_LIMIT + ")").register(meters);
        this.thread = new Thread(this::run, "roomcast-live");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * What the live consumer sets before the operator's settings: also what the benchmark's
     * {@code kafka-baseline} gives the consumer whose CPU per fetch it reports. Any thread.
     */
    public static ConsumerDefaults consumerDefaults(String clientId) {
        // "none": the tail seeks every partition itself; a position Kafka no longer has must surface
        // (OffsetOutOfRangeException), never jump silently to one end.
        return new ConsumerDefaults(clientId, "none", 2000, 100);
    }

    /**
     * Registers {@code listener} for the live events of {@code room} in partition {@code partition},
     * tailing the partition from its end if it is not tailed yet. Completes with the hand-over, or
     * exceptionally when Kafka cannot tell the partition's end in time.
     */
    @Override
    public CompletableFuture<Handover> register(RoomName room, TopicPartition partition, int historySize,
                                                LiveListener listener, HandoverHook hook) {
        PartitionTail tail = partitions.get(partition);
        if (tail != null) {
            return CompletableFuture.completedFuture(tail.register(room, historySize, listener, hook));
        }
        CompletableFuture<Handover> result = new CompletableFuture<>();
        submit(new Command(() -> result.complete(tail(partition).register(room, historySize, listener, hook)), result));
        return result;
    }

    /**
     * Fixes a new hand-over offset for a listener that is already registered (a subscriber that fell
     * behind and catches up again).
     */
    @Override
    public Handover recapture(RoomName room, TopicPartition partition, LiveListener listener, HandoverHook hook) {
        PartitionTail tail = partitions.get(partition);
        if (tail == null) {
            throw new IllegalStateException("partition " + partition + " is not tailed");
        }
        return tail.recapture(room, listener, hook);
    }

    @Override
    public void unregister(RoomName room, TopicPartition partition, LiveListener listener) {
        PartitionTail tail = partitions.get(partition);
        if (tail != null) {
            tail.unregister(room, listener);
        }
    }

    /**
     * The next offset live dispatch will deliver in {@code partition}, or -1 when it is not tailed. Any thread,
     * without waiting for a dispatch under way (which it may already count).
     */
    @Override
    public long position(TopicPartition partition) {
        PartitionTail tail = partitions.get(partition);
        return tail == null ? -1 : tail.next();
    }

    /** {@link System#nanoTime()} when the tail thread last went round its loop or finished a command (at least every 10 s while healthy). */
    public long lastLoopNanos() {
        return lastLoopNanos;
    }

    public boolean isRunning() {
        return running && thread.isAlive();
    }

    /**
     * Whether the calling thread is this tail's, the one that calls every {@link LiveListener#onLive}:
     * lets a listener's owner keep counts that only that thread writes. Any thread.
     */
    public boolean onTailThread() {
        return Thread.currentThread() == thread;
    }

    private void submit(Command command) {
        CompletableFuture<?> result = command.result();
        if (!running) {
            result.completeExceptionally(new RejectedExecutionException("live tail is closed"));
            return;
        }
        if (!commands.offer(command)) {
            result.completeExceptionally(new RejectedExecutionException("live tail command queue is full"));
            return;
        }
        consumer.wakeup();
    }

    /** On the tail's thread: starts tailing {@code partition} at its end offset. */
    private PartitionTail tail(TopicPartition partition) {
        PartitionTail existing = partitions.get(partition);
        if (existing != null) {
            return existing;
        }
        Set<TopicPartition> assignment = new HashSet<>(consumer.assignment());
        assignment.add(partition);
        consumer.assign(assignment);
        try {
            consumer.seekToEnd(List.of(partition));
            long end = positionIgnoringWakeups(partition);
            PartitionTail tail = new PartitionTail(partition, end, idleRoomsPerPartition, budget);
            partitions.put(partition, tail);
            log.atInfo().addKeyValue("partition", partition).addKeyValue("offset", end).log("tailing partition");
            return tail;
        } catch (RuntimeException e) {
            assignment.remove(partition);
            consumer.assign(assignment);
            throw e;
        }
    }

    private long positionIgnoringWakeups(TopicPartition partition) {
        long deadline = System.nanoTime() + POSITION_TIMEOUT.toNanos();
        while (true) {
            try {
                return consumer.position(partition, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (WakeupException e) {
                if (System.nanoTime() >= deadline) {
                    throw new org.apache.kafka.common.errors.TimeoutException("no end offset for " + partition);
                }
            }
        }
    }

    private void run() {
        try {
            while (running) {
                lastLoopNanos = System.nanoTime();
                runCommands();
                if (partitions.isEmpty()) {
                    Command command = commands.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
                    if (command != null) {
                        command.run();
                    }
                    continue;
                }
                pollOnce();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.atError().setCause(e).log("live tail stopped by an unexpected error");
        } finally {
            running = false;
            failPendingCommands();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void pollOnce() {
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(POLL);
        } catch (WakeupException e) {
            return;
        } catch (OffsetOutOfRangeException e) {
            lose(e.partitions());
            return;
        }
        if (!records.isEmpty()) {
            batch.begin();
            try {
                for (TopicPartition partition : records.partitions()) {
                    PartitionTail tail = partitions.get(partition);
                    if (tail != null) {
                        tail.dispatch(records.records(partition));
                    }
                }
            } finally {
                batch.end();
            }
        }
        if (budget.over()) {
            for (PartitionTail tail : partitions.values()) {
                tail.trim();
            }
        }
    }

    /**
     * The consumer's position is not in the log any more: the topic was re-created (new epoch), the
     * log truncated, or retention passed this edge. Seeking elsewhere would skip or repeat events
     * under listeners that believe they are live, so the partition is dropped and every listener
     * told; subscribers resume from their last position, and the resume reports the gap.
     */
    private void lose(Set<TopicPartition> lost) {
        Set<TopicPartition> assignment = new HashSet<>(consumer.assignment());
        assignment.removeAll(lost);
        consumer.assign(assignment);
        for (TopicPartition partition : lost) {
            PartitionTail tail = partitions.remove(partition);
            if (tail == null) {
                continue;
            }
            List<LiveListener> listeners = tail.lose();
            log.atWarn().addKeyValue("partition", partition).addKeyValue("offset", tail.next()).addKeyValue("listeners", listeners.size())
                    .log("live position is no longer in the log (topic re-created, truncated or past retention); subscribers must resume");
            String reason = "the live position " + tail.next() + " of " + partition + " is no longer in the log";
            for (LiveListener listener : listeners) {
                try {
                    listener.onLiveLost(reason);
                } catch (RuntimeException ex) {
                    log.atError().addKeyValue("partition", partition).setCause(ex).log("live listener failed");
                }
            }
        }
    }

    private void runCommands() {
        Command command;
        while ((command = commands.poll()) != null) {
            command.run();
            lastLoopNanos = System.nanoTime();
        }
    }

    private void failPendingCommands() {
        Command command;
        while ((command = commands.poll()) != null) {
            command.result().completeExceptionally(new RejectedExecutionException("live tail is closed"));
        }
    }

    /** Work for the tail's thread and the future it completes; failing the future if the work throws. */
    private record Command(Runnable work, CompletableFuture<?> result) {
        void run() {
            try {
                work.run();
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
