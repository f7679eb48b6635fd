package io.roomcast.history;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.roomcast.event.RecordLayout;
import io.roomcast.event.RoomEvent;
import io.roomcast.room.RoomName;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * Reads history from Kafka with a small pool of reader threads, each the single owner of its own
 * {@link KafkaConsumer} (assigned, no group) and of a bounded work queue. All work on one partition
 * goes to the same reader, so a replay's consecutive chunks find the consumer where the previous
 * chunk ended ({@link ReaderPosition}) and go on without another seek and fetch. When a reader's
 * queue is full, requests fail at once instead of piling up.
 *
 * <p>A read scans the room's partition (other rooms share it) and stops after {@code maxEvents}
 * events of the room or a bounded number of scanned records, so one sparse room in a busy
 * partition cannot hold a reader for long; the caller continues from {@link HistoryChunk#next()}.
 */
public final class KafkaHistoryReader implements HistoryReader {
    private static final Logger log = LoggerFactory.getLogger(KafkaHistoryReader.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration API_TIMEOUT = Duration.ofSeconds(10);
    private static final int SCAN_LIMIT = 50_000;
    private static final int FIND_CHUNK = 500;

    private final List<Reader> readers = new ArrayList<>();
    private final Counter scanned;
    private final Counter delivered;
    private volatile boolean running = true;

    /** One reader thread and its work queue. */
    private record Reader(BlockingQueue<Task> queue, Thread thread) {
    }

    /**
     * @param readers    reader threads, each with its own consumer
     * @param queueLimit reads that may wait, spread over the readers
     */
    public KafkaHistoryReader(String bootstrapServers, Map<String, Object> consumerOverrides, int readers, int queueLimit,
                              MeterRegistry meters) {
        if (readers < 1) {
            throw new IllegalArgumentException("readers must be >= 1");
        }
        this.scanned = Counter.builder("roomcast.history.kafka.records.scanned")
                .description("records read from Kafka for replays").register(meters);
        this.delivered = Counter.builder("roomcast.history.kafka.events")
                .description("room events found by replays from Kafka").register(meters);
        int perReader = Math.max(1, queueLimit / readers);
        Gauge.builder("roomcast.history.kafka.queue", this, KafkaHistoryReader::waiting)
                .description("replay reads waiting for a reader (limit " + perReader + " per reader)").register(meters);
        for (int i = 0; i < readers; i++) {
            Map<String, Object> props = new HashMap<>();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            // What one poll parses: a chunk uses about an outbound buffer's worth, the rest waits for the next chunk.
            props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
            props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, "roomcast-history-" + i + "-" + Integer.toHexString(System.identityHashCode(this)));
            props.putAll(consumerOverrides);
            ReaderPosition position = new ReaderPosition();
            BlockingQueue<Task> queue = new ArrayBlockingQueue<>(perReader);
            Thread t = new Thread(() -> work(props, queue, position), "roomcast-history-" + i);
            t.setDaemon(true);
            this.readers.add(new Reader(queue, t));
        }
        this.readers.forEach(r -> r.thread.start());
    }

    private int waiting() {
        return readers.stream().mapToInt(r -> r.queue.size()).sum();
    }

    @Override
    public CompletableFuture<PartitionBounds> bounds(TopicPartition partition) {
        return submit(partition, (c, at) -> new PartitionBounds(
                c.beginningOffsets(List.of(partition), API_TIMEOUT).get(partition),
                c.endOffsets(List.of(partition), API_TIMEOUT).get(partition)));
    }

    @Override
    public CompletableFuture<Long> offsetForTime(TopicPartition partition, long timestamp) {
        return submit(partition, (c, at) -> {
            OffsetAndTimestamp found = c.offsetsForTimes(Map.of(partition, timestamp), API_TIMEOUT).get(partition);
            return found != null ? found.offset() : c.endOffsets(List.of(partition), API_TIMEOUT).get(partition);
        });
    }

    @Override
    public CompletableFuture<Long> startOfLast(TopicPartition partition, RoomName room, int count, long until) {
        return submit(partition, (c, at) -> {
            long logStart = c.beginningOffsets(List.of(partition), API_TIMEOUT).get(partition);
            long window = Math.max(1000, count * 4L);
            long windowEnd = until;
            // Newest events of the room, found by scanning windows backwards from the hand-over offset.
            Deque<Long> newest = new ArrayDeque<>(count);
            while (windowEnd > logStart) {
                long windowStart = Math.max(logStart, windowEnd - window);
                List<Long> found = new ArrayList<>();
                long pos = windowStart;
                while (pos < windowEnd) {
                    Scan scan = scan(c, at, partition, room, pos, windowEnd, Integer.MAX_VALUE);
                    scan.events.forEach(e -> found.add(e.offset()));
                    pos = scan.next;
                }
                for (int i = found.size() - 1; i >= 0 && newest.size() < count; i--) {
                    newest.addFirst(found.get(i));
                }
                if (newest.size() >= count) {
                    return newest.peekFirst();
                }
                windowEnd = windowStart;
                window *= 2;
            }
            return logStart;
        });
    }

    @Override
    public CompletableFuture<OptionalLong> findEvent(TopicPartition partition, RoomName room, String eventId, long since) {
        return submit(partition, (c, at) -> {
            OffsetAndTimestamp first = c.offsetsForTimes(Map.of(partition, since), API_TIMEOUT).get(partition);
            if (first == null) {
                return OptionalLong.empty();
            }
            long end = c.endOffsets(List.of(partition), API_TIMEOUT).get(partition);
            long pos = first.offset();
            while (pos < end) {
                // In chunks, so a match early in the window ends the read there.
                Scan scan = scan(c, at, partition, room, pos, end, FIND_CHUNK);
                for (RoomEvent e : scan.events) {
                    if (eventId.equals(e.eventId())) {
                        return OptionalLong.of(e.offset());
                    }
                }
                pos = scan.next;
            }
            return OptionalLong.empty();
        });
    }

    @Override
    public CompletableFuture<HistoryChunk> read(TopicPartition partition, RoomName room, long from, long until, int maxEvents) {
        return submit(partition, (c, at) -> {
            Scan scan = scan(c, at, partition, room, from, until, maxEvents);
            return new HistoryChunk(scan.events, scan.next);
        });
    }

    private record Scan(List<RoomEvent> events, long next) {
    }

    private Scan scan(KafkaConsumer<byte[], byte[]> c, ReaderPosition at, TopicPartition partition, RoomName room,
                      long from, long until, int maxEvents) {
        at.moveTo(c, partition, from);
        byte[] key = room.keyBytes();
        List<RoomEvent> events = new ArrayList<>();
        long position = from;
        int scannedHere = 0;
        long deadline = System.nanoTime() + API_TIMEOUT.toNanos();
        while (position < until && events.size() < maxEvents && scannedHere < SCAN_LIMIT) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("reading " + partition + " from " + position + " took too long");
            }
            ConsumerRecord<byte[], byte[]> r = at.peek(c, POLL);
            if (r == null) {
                // Offsets without records (deleted by retention, transaction markers) still advance the position.
                position = Math.max(position, Math.min(until, c.position(partition)));
                continue;
            }
            if (r.offset() >= until) {
                break;
            }
            at.take();
            scannedHere++;
            position = r.offset() + 1;
            if (Arrays.equals(key, r.key())) {
                events.add(RecordLayout.toEvent(room, r));
            }
        }
        at.endedAt(position);
        scanned.increment(scannedHere);
        delivered.increment(events.size());
        return new Scan(events, position);
    }

    private <T> CompletableFuture<T> submit(TopicPartition partition, BiFunction<KafkaConsumer<byte[], byte[]>, ReaderPosition, T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Reader reader = readers.get(Math.floorMod(partition.hashCode(), readers.size()));
        if (!running) {
            result.completeExceptionally(new RejectedExecutionException("history reader is closed"));
        } else if (!reader.queue.offer(new Task((c, at) -> result.complete(work.apply(c, at)), result))) {
            result.completeExceptionally(new RejectedExecutionException("too many history reads waiting"));
        }
        return result;
    }

    private record Task(BiConsumer<KafkaConsumer<byte[], byte[]>, ReaderPosition> work, CompletableFuture<?> result) {
    }

    private void work(Map<String, Object> props, BlockingQueue<Task> queue, ReaderPosition position) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            while (running) {
                Task task = queue.poll(200, TimeUnit.MILLISECONDS);
                if (task == null) {
                    continue;
                }
                try {
                    task.work.accept(consumer, position);
                } catch (RuntimeException e) {
                    log.atDebug().setCause(e).log("history read failed");
                    position.forget();
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
