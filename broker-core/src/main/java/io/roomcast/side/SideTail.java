package io.roomcast.side;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads the partitions of one side topic that someone watches, on one owner thread with its own
 * {@link KafkaConsumer} (assigned partitions, no group, nothing committed). A partition is read
 * from its beginning (a compacted topic whose whole content is the state) or from its end (live
 * only), and for as long as at least one watcher holds it.
 *
 * <p>Thread-safety: {@link #watch} and {@link #unwatch} may be called from any thread and only
 * queue a command (bounded: a full queue fails the watch); the {@link Sink} is called on the
 * tail's thread only, in offset order per partition.
 */
public final class SideTail implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SideTail.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final int COMMAND_LIMIT = 10_000;
    /** Watches of one partition that may wait for it to be read (presence queries while Kafka is slow, say). */
    static final int WAITING_LIMIT = 10_000;

    /** Where a newly watched partition is read from. */
    public enum Start { BEGINNING, END }

    /** Receives the records of watched partitions; called on the tail's thread. */
    public interface Sink {
        void onRecord(ConsumerRecord<byte[], byte[]> record, long nowMillis);

        /** The partition is not read any more: forget what came from it. */
        void onReleased(int partition);

        /** After every poll, whether it returned records or not (about every 100 ms). */
        void onTick(long nowMillis);
    }

    private final String topic;
    private final Start start;
    private final Sink sink;
    private final Clock clock;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final BlockingQueue<Runnable> commands = new ArrayBlockingQueue<>(COMMAND_LIMIT);
    /** Owned by the tail's thread. */
    private final Map<Integer, Watch> watches = new HashMap<>();
    /** Per partition, the failed watches whose unwatch is still to come (at most one entry per partition of the topic). */
    private final Map<Integer, Integer> holderless = new ConcurrentHashMap<>();
    private final Counter failed;
    /** Futures in the watches' waiting lists, for the gauge (the lists are the tail thread's). */
    private final AtomicInteger waitingCount = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    private static final class Watch {
        int holders;
        long target;
        final List<CompletableFuture<Void>> waiting = new ArrayList<>();
        boolean caughtUp;
    }

    public SideTail(String bootstrapServers, Map<String, Object> consumerSettings, String topic, Start start, Sink sink,
                    Clock clock, MeterRegistry meters) {
        this.topic = topic;
        this.start = start;
        this.sink = sink;
        this.clock = clock;
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, start == Start.BEGINNING ? "earliest" : "latest");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "roomcast-side-" + topic + "-" + Integer.toHexString(System.identityHashCode(this)));
        props.putAll(consumerSettings);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Gauge.builder("roomcast.side.partitions", watches, Map::size).tag("topic", topic)
                .description("side topic partitions read by this edge").register(meters);
        this.failed = Counter.builder("roomcast.side.records.skipped").tag("topic", topic)
                .description("side topic records skipped because the edge could not read them").register(meters);
        Gauge.builder("roomcast.side.waiting", waitingCount, AtomicInteger::get).tag("topic", topic)
                .description("watches waiting for a partition to be read (limit " + WAITING_LIMIT + " per partition)").register(meters);
        Gauge.builder("roomcast.side.commands", commands, BlockingQueue::size).tag("topic", topic)
                .description("pending side tail commands (limit " + COMMAND_LIMIT + ")").register(meters);
        this.thread = new Thread(this::run, "roomcast-side-" + topic);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Starts (or keeps) reading {@code partition}; the future completes once the partition has been
     * read up to the end it had when it was first watched (at once for {@link Start#END}).
     * Every watch must be paired with one {@link #unwatch}, whether its future succeeded or failed.
     */
    public CompletableFuture<Void> watch(int partition) {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        if (!commands.offer(() -> add(partition, ready))) {
            holderless(partition);
            ready.completeExceptionally(new IllegalStateException("side tail of " + topic + " is overloaded"));
        }
        return ready;
    }

    /**
     * A watch of {@code partition} failed without holding it: its unwatch, which still comes, must
     * release nothing (it would release another watcher's hold). Any thread.
     */
    private void holderless(int partition) {
        holderless.merge(partition, 1, Integer::sum);
    }

    /** Releases one watch of {@code partition}; the last release stops reading it. */
    public void unwatch(int partition) {
        if (!commands.offer(() -> remove(partition))) {
            log.atWarn().addKeyValue("topic", topic).addKeyValue("partition", partition).log("side tail command queue full; unwatch lost");
        }
    }

    private void add(int partition, CompletableFuture<Void> ready) {
        Watch w = watches.get(partition);
        if (w != null) {
            w.holders++;
            if (w.caughtUp) {
                ready.complete(null);
            } else {
                await(w, ready);
            }
            return;
        }
        w = new Watch();
        w.holders = 1;
        TopicPartition tp = new TopicPartition(topic, partition);
        watches.put(partition, w);
        try {
            consumer.assign(watches.keySet().stream().map(p -> new TopicPartition(topic, p)).toList());
            if (start == Start.BEGINNING) {
                consumer.seekToBeginning(List.of(tp));
                w.target = consumer.endOffsets(List.of(tp)).get(tp);
            } else {
                consumer.seekToEnd(List.of(tp));
                w.target = consumer.position(tp);
            }
        } catch (KafkaException e) {
            watches.remove(partition);
            consumer.assign(watches.keySet().stream().map(p -> new TopicPartition(topic, p)).toList());
            holderless(partition);
            ready.completeExceptionally(e);
            return;
        }
        await(w, ready);
        checkCaughtUp();
    }

    /** {@code ready} completes when {@code w}'s partition is read, or fails now when too many wait for it already. */
    private void await(Watch w, CompletableFuture<Void> ready) {
        if (w.waiting.size() >= WAITING_LIMIT) {
            ready.completeExceptionally(new IllegalStateException("side tail of " + topic + " is overloaded: "
                    + WAITING_LIMIT + " watches wait for the partition already"));
            return;
        }
        w.waiting.add(ready);
        waitingCount.incrementAndGet();
    }

    private void remove(int partition) {
        boolean[] holdsNothing = {false};
        holderless.computeIfPresent(partition, (p, n) -> {
            holdsNothing[0] = true;
            return n > 1 ? n - 1 : null;
        });
        if (holdsNothing[0]) {
            return;
        }
        Watch w = watches.get(partition);
        if (w == null) {
            return;
        }
        if (--w.holders > 0) {
            return;
        }
        watches.remove(partition);
        consumer.assign(watches.keySet().stream().map(p -> new TopicPartition(topic, p)).toList());
        w.waiting.forEach(f -> f.completeExceptionally(new IllegalStateException("unwatched")));
        waitingCount.addAndGet(-w.waiting.size());
        sink.onReleased(partition);
    }

    private void checkCaughtUp() {
        for (Map.Entry<Integer, Watch> e : watches.entrySet()) {
            Watch w = e.getValue();
            if (w.caughtUp) {
                continue;
            }
            if (consumer.position(new TopicPartition(topic, e.getKey())) >= w.target) {
                w.caughtUp = true;
                w.waiting.forEach(f -> f.complete(null));
                waitingCount.addAndGet(-w.waiting.size());
                w.waiting.clear();
            }
        }
    }

    private void run() {
        while (running) {
            try {
                Runnable command = watches.isEmpty() ? commands.poll(POLL.toMillis(), TimeUnit.MILLISECONDS) : commands.poll();
                while (command != null) {
                    command.run();
                    command = commands.poll();
                }
                if (!watches.isEmpty()) {
                    long now = clock.millis();
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                        deliver(record, now);
                    }
                    checkCaughtUp();
                }
                sink.onTick(clock.millis());
            } catch (InterruptedException | InterruptException e) {
                break;
            } catch (RuntimeException e) {
                // Kafka unreachable or a sink bug: keep the thread alive, the next poll tries again.
                log.atWarn().addKeyValue("topic", topic).setCause(e).log("side tail poll failed");
                sleepQuietly();
            }
        }
        for (Iterator<Watch> it = watches.values().iterator(); it.hasNext(); ) {
            it.next().waiting.forEach(f -> f.completeExceptionally(new IllegalStateException("side tail closed")));
            it.remove();
        }
        waitingCount.set(0);
        consumer.close(Duration.ofSeconds(2));
    }

    /**
     * One record to the sink. A record the sink cannot take (a stranger's, of a shape nobody
     * foresaw) is skipped and counted: the poll's other records, already consumed, must still arrive.
     */
    private void deliver(ConsumerRecord<byte[], byte[]> record, long now) {
        try {
            sink.onRecord(record, now);
        } catch (RuntimeException e) {
            failed.increment();
            log.atWarn().addKeyValue("topic", topic).addKeyValue("partition", record.partition()).addKeyValue("offset", record.offset())
                    .setCause(e).log("side topic record skipped: the edge cannot read it");
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
