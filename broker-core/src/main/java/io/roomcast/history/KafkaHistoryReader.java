package io.roomcast.history;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.roomcast.event.RecordLayout;
import io.roomcast.event.RoomEvent;
import io.roomcast.kafka.ConsumerDefaults;
import io.roomcast.room.RoomName;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Reads history from Kafka with a small pool of reader threads, each the single owner of its own
 * {@link KafkaConsumer} (assigned, no group) and of a bounded work queue. All work on one partition
 * goes to the same reader, so a replay's consecutive chunks find the consumer where the previous
 * chunk ended ({@link PartitionScanner}) and go on without another seek and fetch. When a reader's
 * queue is full, requests fail at once instead of piling up.
 *
 * <p>Fairness: each queue serves short reads (replay chunks, log bounds) before bulk work (the
 * backward scan of {@code last N}, time lookups, dedupe lookups), and the backward scan runs as
 * one task per window of at most {@value #SCAN_LIMIT} records, so other clients' resumes run
 * between its steps. A task that waited longer than {@link #MAX_WAIT} fails instead of running.
 *
 * <p>A read scans the room's partition (other rooms share it) and stops after {@code maxEvents}
 * events of the room, a bounded number of scanned records, or its time share
 * ({@link HistoryLimits#readTimeout()}), whichever comes first, returning what it has read; the
 * caller continues from {@link HistoryChunk#next()}. Only a read that made no progress at all
 * within {@link #API_TIMEOUT} fails. Consumers read committed records only.
 */
public final class KafkaHistoryReader implements HistoryReader {
    private static final Logger log = LoggerFactory.getLogger(KafkaHistoryReader.class);
    private static final Duration API_TIMEOUT = Duration.ofSeconds(10);
    /** How long a task may wait in a reader's queue before it fails instead of running. */
    static final Duration MAX_WAIT = Duration.ofSeconds(10);
    /** A chunk's list starts this large (or at its maxEvents), so that a replay's lists do not grow one copy at a time. */
    private static final int PRESIZED_EVENTS = 1_024;
    private static final int SCAN_LIMIT = 50_000;
    private static final int FIND_CHUNK = 500;
    /** Bytes of event data one replay chunk holds at most (at least one event): large records cannot fill the heap. */
    static final long CHUNK_BYTES = 1024 * 1024;

    private enum Priority { SHORT, BULK }

    private final List<Reader> readers = new ArrayList<>();
    private final Counter scanned;
    private final Counter delivered;
    private final Counter expired;
    private final HistoryLimits limits;
    private final PartitionScanner.Budget budget;
    private final int perReader;
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean running = true;

    /** One reader thread and its work queue (bounded by {@link #perReader} through {@code size}). */
    private record Reader(PriorityBlockingQueue<Task> queue, AtomicInteger size, Thread thread) {
    }

    /**
     * @param readers    reader threads, each with its own consumer
     * @param queueLimit reads that may wait, spread over the readers
     */
    public KafkaHistoryReader(String bootstrapServers, Map<String, Object> consumerOverrides, int readers, int queueLimit,
                              HistoryLimits limits, MeterRegistry meters) {
        this.limits = limits;
        this.budget = new PartitionScanner.Budget(SCAN_LIMIT, limits.readTimeout(), API_TIMEOUT);
        if (readers < 1) {
            throw new IllegalArgumentException("readers must be >= 1");
        }
        this.scanned = Counter.builder("roomcast.history.kafka.records.scanned")
                .description("records read from Kafka for replays").register(meters);
        this.delivered = Counter.builder("roomcast.history.kafka.events")
                .description("room events found by replays from Kafka").register(meters);
        this.expired = Counter.builder("roomcast.history.kafka.expired")
                .description("history reads that waited longer than " + MAX_WAIT.toSeconds() + " s for a reader and failed").register(meters);
        this.perReader = Math.max(1, queueLimit / readers);
        Gauge.builder("roomcast.history.kafka.queue", this, KafkaHistoryReader::waiting)
                .description("replay reads waiting for a reader (limit " + perReader + " per reader)").register(meters);
        for (int i = 0; i < readers; i++) {
            // What one poll parses: a chunk uses about an outbound buffer's worth, the rest waits for the next chunk.
            Map<String, Object> props = new ConsumerDefaults("roomcast-history-" + i + "-" + Integer.toHexString(System.identityHashCode(this)),
                    "earliest", 500, 50).under(bootstrapServers, consumerOverrides);
            PriorityBlockingQueue<Task> queue = new PriorityBlockingQueue<>(64,
                    Comparator.comparing(Task::priority).thenComparingLong(Task::sequence));
            AtomicInteger size = new AtomicInteger();
            Thread t = new Thread(() -> work(props, queue, size), "roomcast-history-" + i);
            t.setDaemon(true);
            this.readers.add(new Reader(queue, size, t));
        }
        this.readers.forEach(r -> r.thread.start());
    }

    private int waiting() {
        return readers.stream().mapToInt(r -> r.size.get()).sum();
    }

    @Override
    public CompletableFuture<PartitionBounds> bounds(TopicPartition partition) {
        return submit(partition, Priority.SHORT, s -> new PartitionBounds(
                s.consumer().beginningOffsets(List.of(partition), API_TIMEOUT).get(partition),
                s.consumer().endOffsets(List.of(partition), API_TIMEOUT).get(partition)));
    }

    @Override
    public CompletableFuture<Long> offsetForTime(TopicPartition partition, long timestamp) {
        return submit(partition, Priority.BULK, s -> {
            Consumer<byte[], byte[]> c = s.consumer();
            OffsetAndTimestamp found = c.offsetsForTimes(Map.of(partition, timestamp), API_TIMEOUT).get(partition);
            return found != null ? found.offset() : c.endOffsets(List.of(partition), API_TIMEOUT).get(partition);
        });
    }

    @Override
    public CompletableFuture<Long> startOfLast(TopicPartition partition, RoomName room, int count, long until) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        new LastScan(partition, room, count, until, result).next();
        return result;
    }

    /**
     * The backward scan of {@code last N}: windows of growing size (at most {@value #SCAN_LIMIT}
     * records) from the hand-over offset towards the log start, one reader task per window, keeping
     * only offsets. It stops at {@code count} events, at the log start, or after
     * {@link HistoryLimits#scanRecords()} records; then the replay starts where the scan got to.
     * Its fields are touched by one task at a time, on the partition's reader thread.
     */
    private final class LastScan {
        private final TopicPartition partition;
        private final RoomName room;
        private final int count;
        private final CompletableFuture<Long> result;
        private final long until;
        private final Deque<Long> newest;
        private BackwardWindows windows;

        LastScan(TopicPartition partition, RoomName room, int count, long until, CompletableFuture<Long> result) {
            this.partition = partition;
            this.room = room;
            this.count = count;
            this.result = result;
            this.until = until;
            this.newest = new ArrayDeque<>(Math.min(count, 1024));
        }

        void next() {
            submit(partition, Priority.BULK, this::step).whenComplete((done, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else if (done != null) {
                    result.complete(done);
                } else {
                    next();
                }
            });
        }

        /** Scans one window; the start offset when the scan is over, or null for another step. */
        private Long step(PartitionScanner scanner) {
            if (windows == null) {
                long logStart = scanner.consumer().beginningOffsets(List.of(partition), API_TIMEOUT).get(partition);
                windows = new BackwardWindows(until, logStart, Math.max(1000, count * 4L), 2, SCAN_LIMIT, limits.scanRecords());
            }
            if (!windows.hasNext()) {
                return windows.reached();
            }
            BackwardWindows.Window window = windows.next();
            List<Long> found = new ArrayList<>();
            long pos = window.start();
            while (pos < window.end()) {
                pos = scan(scanner, partition, room, pos, window.end(), Integer.MAX_VALUE, Long.MAX_VALUE, r -> found.add(r.offset())).next();
            }
            for (int i = found.size() - 1; i >= 0 && newest.size() < count; i--) {
                newest.addFirst(found.get(i));
            }
            if (newest.size() >= count) {
                return newest.peekFirst();
            }
            return null;
        }
    }

    @Override
    public CompletableFuture<OptionalLong> findEvent(TopicPartition partition, RoomName room, String eventId, long since) {
        return submit(partition, Priority.BULK, s -> {
            Consumer<byte[], byte[]> c = s.consumer();
            OffsetAndTimestamp first = c.offsetsForTimes(Map.of(partition, since), API_TIMEOUT).get(partition);
            if (first == null) {
                return OptionalLong.empty();
            }
            long end = c.endOffsets(List.of(partition), API_TIMEOUT).get(partition);
            long pos = first.offset();
            while (pos < end) {
                // In chunks, so a match early in the window ends the read there.
                List<RoomEvent> events = new ArrayList<>();
                pos = scan(s, partition, room, pos, end, FIND_CHUNK, CHUNK_BYTES, r -> events.add(RecordLayout.toEvent(room, r))).next();
                for (RoomEvent e : events) {
                    if (eventId.equals(e.eventId())) {
                        return OptionalLong.of(e.offset());
                    }
                }
            }
            return OptionalLong.empty();
        });
    }

    @Override
    public CompletableFuture<HistoryChunk> read(TopicPartition partition, RoomName room, long from, long until, int maxEvents) {
        return submit(partition, Priority.SHORT, s -> {
            List<RoomEvent> events = new ArrayList<>(Math.min(maxEvents, PRESIZED_EVENTS));
            long next = scan(s, partition, room, from, until, maxEvents, CHUNK_BYTES, r -> events.add(RecordLayout.toEvent(room, r))).next();
            return new HistoryChunk(events, next);
        });
    }

    /** Where a scan ended and how many records of the room it found. */
    private record Scanned(long next, int matches) {
    }

    /**
     * Reads {@code [from, until)} of the partition with the {@link PartitionScanner}, handing each
     * record of {@code room} to {@code onMatch}, until {@code maxMatches} matches or
     * {@code maxBytes} of their values, {@value #SCAN_LIMIT} records or the read's time share;
     * returns where it stopped. Only a scan that read nothing at all within {@link #API_TIMEOUT} fails.
     */
    private Scanned scan(PartitionScanner scanner, TopicPartition partition, RoomName room, long from, long until,
                         int maxMatches, long maxBytes, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> onMatch) {
        if (maxMatches <= 0 || maxBytes <= 0) {
            return new Scanned(from, 0);
        }
        byte[] key = room.keyBytes();
        int[] matches = {0};
        long[] matchedBytes = {0};
        PartitionScanner.Scan scan = scanner.forward(partition, from, until, budget, r -> {
            if (Arrays.equals(key, r.key())) {
                matches[0]++;
                matchedBytes[0] += Math.max(0, r.serializedValueSize());
                onMatch.accept(r);
            }
            return matches[0] < maxMatches && matchedBytes[0] < maxBytes;
        });
        scanned.increment(scan.scanned());
        delivered.increment(matches[0]);
        return new Scanned(scan.next(), matches[0]);
    }

    private <T> CompletableFuture<T> submit(TopicPartition partition, Priority priority,
                                            Function<PartitionScanner, T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Reader reader = readers.get(Math.floorMod(partition.hashCode(), readers.size()));
        if (!running) {
            result.completeExceptionally(new RejectedExecutionException("history reader is closed"));
        } else if (reader.size.incrementAndGet() > perReader) {
            reader.size.decrementAndGet();
            result.completeExceptionally(new RejectedExecutionException("too many history reads waiting"));
        } else {
            reader.queue.add(new Task(s -> result.complete(work.apply(s)), result, priority,
                    sequence.incrementAndGet(), System.nanoTime()));
        }
        return result;
    }

    private record Task(java.util.function.Consumer<PartitionScanner> work, CompletableFuture<?> result,
                        Priority priority, long sequence, long enqueuedNanos) {
    }

    private void work(Map<String, Object> props, PriorityBlockingQueue<Task> queue, AtomicInteger size) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            PartitionScanner scanner = new PartitionScanner(consumer);
            while (running) {
                Task task = queue.poll(200, TimeUnit.MILLISECONDS);
                if (task == null) {
                    continue;
                }
                size.decrementAndGet();
                if (System.nanoTime() - task.enqueuedNanos > MAX_WAIT.toNanos()) {
                    expired.increment();
                    task.result.completeExceptionally(new RejectedExecutionException(
                            "history read waited longer than " + MAX_WAIT.toSeconds() + " s for a reader"));
                    continue;
                }
                try {
                    task.work.accept(scanner);
                } catch (RuntimeException e) {
                    log.atDebug().setCause(e).log("history read failed");
                    scanner.forget();
                    task.result.completeExceptionally(e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Task task;
            while ((task = queue.poll()) != null) {
                task.result.completeExceptionally(new RejectedExecutionException("history reader is closed"));
            }
        }
    }

    @Override
    public void close() {
        running = false;
        for (Reader r : readers) {
            try {
                r.thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
