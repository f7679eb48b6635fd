package io.roomcast.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.roomcast.event.RecordLayout;
import io.roomcast.kafka.ConsumerDefaults;
import io.roomcast.room.RoomName;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;

/**
 * Finds an earlier write of one publisher's event id in a room's partition, for publishes marked
 * {@code retry}. It has its own thread and consumer, so lookups never hold the history readers
 * that serve resumes, and it bounds each lookup in records and bytes. Lookups take turns: each
 * reads a chunk, then goes to the back of the queue, so one long lookup does not hold up short
 * ones. The consumer reads committed records only ({@code read_committed}): an aborted write did
 * not happen.
 *
 * <p>Threading: {@link #find} may be called from any thread and returns at once; the futures
 * complete on the lookup thread (keep callbacks short).
 */
public final class PublishLookup implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PublishLookup.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration API_TIMEOUT = Duration.ofSeconds(10);
    private static final int CHUNK = 5_000;

    /** What a lookup found. */
    public sealed interface Result {
        /** The event is in the log at {@code offset}. */
        record Found(long offset) implements Result {
        }

        /** The event is not among the records below {@code end} (the partition's end when the lookup began). */
        record Absent(long end) implements Result {
        }

        /** The lookup stopped at its bounds before it could tell; {@code reason} says which. */
        record Unchecked(String reason) implements Result {
        }
    }

    /**
     * @param records records one lookup may read
     * @param bytes   bytes (keys, values, headers) one lookup may read
     * @param queue   lookups that may wait; more are refused with {@link RejectedExecutionException}
     */
    public record Limits(long records, long bytes, int queue) {
        public Limits {
            if (records < 1 || bytes < 1 || queue < 1) {
                throw new IllegalArgumentException("lookup limits must be positive");
            }
        }
    }

    private final Limits limits;
    private final Map<String, Object> props;
    private final ArrayDeque<Lookup> queue = new ArrayDeque<>();
    private final Thread thread;
    private final Counter scanned;
    private final Counter found;
    private final Counter absent;
    private final Counter unchecked;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private KafkaConsumer<byte[], byte[]> highWaterMarks;
    private volatile boolean running = true;

    public PublishLookup(String bootstrapServers, Map<String, Object> consumerOverrides, Limits limits, MeterRegistry meters) {
        this.limits = limits;
        this.props = new ConsumerDefaults("roomcast-publish-lookup-" + Integer.toHexString(System.identityHashCode(this)),
                "earliest", 500, 50).under(bootstrapServers, consumerOverrides);
        this.scanned = Counter.builder("roomcast.publish.lookup.records")
                .description("records read by retry lookups (at most " + limits.records() + " per lookup)").register(meters);
        this.found = Counter.builder("roomcast.publish.lookups").tag("result", "found").register(meters);
        this.absent = Counter.builder("roomcast.publish.lookups").tag("result", "absent").register(meters);
        this.unchecked = Counter.builder("roomcast.publish.lookups").tag("result", "unchecked").register(meters);
        Gauge.builder("roomcast.publish.lookup.queue", this, PublishLookup::waiting)
                .description("retry lookups under way or waiting (limit " + limits.queue() + ")").register(meters);
        this.thread = new Thread(this::work, "roomcast-publish-lookup");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Looks for the record of {@code room} with header {@code id} = {@code eventId} and header
     * {@code publisher} = {@code publisher} in {@code partition}, among the records from
     * {@code fromOffset} on, or when it is negative, from the first record with a timestamp at or
     * after {@code sinceMillis}; up to the partition's end as the lookup begins.
     *
     * @param settled whether the answer must cover every record written before the lookup began:
     *                while an open transaction holds the committed end below the high-water mark,
     *                records written after it stay hidden, so the lookup waits (up to 10 s, taking
     *                turns) for them to become readable, and is {@link Result.Unchecked} if they do not
     */
    public CompletableFuture<Result> find(TopicPartition partition, RoomName room, String eventId, String publisher,
                                          long sinceMillis, long fromOffset, boolean settled) {
        Lookup lookup = new Lookup(partition, room.keyBytes(), eventId.getBytes(StandardCharsets.UTF_8),
                publisher == null ? null : publisher.getBytes(StandardCharsets.UTF_8), sinceMillis, fromOffset, settled);
        synchronized (queue) {
            if (!running) {
                lookup.result.completeExceptionally(new RejectedExecutionException("publish lookup is closed"));
            } else if (queue.size() >= limits.queue()) {
                lookup.result.completeExceptionally(new RejectedExecutionException("too many retry lookups waiting"));
            } else {
                queue.addLast(lookup);
                queue.notifyAll();
            }
        }
        return lookup.result;
    }

    private int waiting() {
        synchronized (queue) {
            return queue.size();
        }
    }

    private void work() {
        Map<String, Object> uncommitted = new HashMap<>(props);
        uncommitted.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        uncommitted.put(ConsumerConfig.CLIENT_ID_CONFIG, props.get(ConsumerConfig.CLIENT_ID_CONFIG) + "-hwm");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             // Only asked for end offsets: the high-water mark, which the read_committed consumer does not tell.
             KafkaConsumer<byte[], byte[]> marks = new KafkaConsumer<>(uncommitted, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            highWaterMarks = marks;
            while (running) {
                Lookup next;
                synchronized (queue) {
                    while (running && queue.isEmpty()) {
                        queue.wait();
                    }
                    if (!running) {
                        break;
                    }
                    next = queue.peekFirst();
                }
                boolean done;
                try {
                    done = step(c, next);
                } catch (WakeupException e) {
                    break;
                } catch (RuntimeException e) {
                    log.atDebug().addKeyValue("partition", next.partition).setCause(e).log("retry lookup failed");
                    next.result.completeExceptionally(e);
                    done = true;
                }
                synchronized (queue) {
                    queue.remove(next);
                    if (!done) {
                        queue.addLast(next); // its turn is over: the others read their chunk first
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (queue) {
                queue.forEach(l -> l.result.completeExceptionally(new RejectedExecutionException("publish lookup is closed")));
                queue.clear();
            }
        }
    }

    /** Reads one chunk of a lookup; true when the lookup is answered. */
    private boolean step(KafkaConsumer<byte[], byte[]> c, Lookup l) {
        TopicPartition p = l.partition;
        if (l.end < 0) {
            long end = c.endOffsets(List.of(p), API_TIMEOUT).get(p);
            long start = l.fromOffset;
            if (start < 0) {
                OffsetAndTimestamp first = c.offsetsForTimes(Map.of(p, l.sinceMillis), API_TIMEOUT).get(p);
                start = first == null ? end : first.offset();
            }
            l.end = end;
            l.position = start;
            if (l.settled) {
                l.highWaterMark = highWaterMarks.endOffsets(List.of(p), API_TIMEOUT).get(p);
                l.hiddenSince = System.nanoTime();
            }
        }
        if (l.position >= l.end && l.end < l.highWaterMark) {
            // An open transaction keeps records below the high-water mark from being read: wait for it, taking turns.
            LockSupport.parkNanos(POLL.toNanos());
            long committed = c.endOffsets(List.of(p), API_TIMEOUT).get(p);
            if (committed > l.end) {
                l.end = Math.min(committed, l.highWaterMark);
            } else if (System.nanoTime() - l.hiddenSince > API_TIMEOUT.toNanos()) {
                unchecked.increment();
                l.result.complete(new Result.Unchecked("an open transaction has kept records of " + p + " unreadable for "
                        + API_TIMEOUT.toSeconds() + " s"));
                return true;
            }
            return false;
        }
        c.assign(List.of(p));
        c.seek(p, l.position);
        int read = 0;
        long idleSince = System.nanoTime();
        while (l.position < l.end && read < CHUNK) {
            List<ConsumerRecord<byte[], byte[]>> records = c.poll(POLL).records(p);
            if (records.isEmpty()) {
                // Offsets without records (aborted or compacted away, transaction markers) still advance.
                l.position = Math.max(l.position, Math.min(l.end, c.position(p)));
                if (System.nanoTime() - idleSince > API_TIMEOUT.toNanos()) {
                    throw new TimeoutException("no records from " + p + " at " + l.position + " within " + API_TIMEOUT);
                }
                continue;
            }
            idleSince = System.nanoTime();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                if (r.offset() >= l.end) {
                    l.position = l.end;
                    break;
                }
                l.position = r.offset() + 1;
                read++;
                l.records++;
                l.bytes += Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize()) + headerBytes(r);
                if (l.matches(r)) {
                    scanned.increment(read);
                    found.increment();
                    l.result.complete(new Result.Found(r.offset()));
                    return true;
                }
                if (l.records >= limits.records() || l.bytes >= limits.bytes()) {
                    scanned.increment(read);
                    unchecked.increment();
                    l.result.complete(new Result.Unchecked("the window holds more than a lookup may read ("
                            + limits.records() + " records or " + limits.bytes() + " bytes)"));
                    return true;
                }
            }
        }
        scanned.increment(read);
        if (l.position >= l.end && l.end >= l.highWaterMark) {
            absent.increment();
            l.result.complete(new Result.Absent(l.end));
            return true;
        }
        return false;
    }

    private static int headerBytes(ConsumerRecord<byte[], byte[]> r) {
        int n = 0;
        for (Header h : r.headers()) {
            n += h.key().length() + (h.value() == null ? 0 : h.value().length);
        }
        return n;
    }

    @Override
    public void close() {
        synchronized (queue) {
            running = false;
            queue.notifyAll();
        }
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One lookup and how far it has read; touched only by the lookup thread after it is queued. */
    private static final class Lookup {
        final TopicPartition partition;
        final byte[] key;
        final byte[] eventId;
        final byte[] publisher;
        final long sinceMillis;
        final long fromOffset;
        final boolean settled;
        final CompletableFuture<Result> result = new CompletableFuture<>();
        long end = -1;
        /** For a settled lookup, the high-water mark as it began (the committed end must reach it); else -1. */
        long highWaterMark = -1;
        long hiddenSince;
        long position;
        long records;
        long bytes;

        Lookup(TopicPartition partition, byte[] key, byte[] eventId, byte[] publisher, long sinceMillis, long fromOffset,
               boolean settled) {
            this.partition = partition;
            this.key = key;
            this.eventId = eventId;
            this.publisher = publisher;
            this.sinceMillis = sinceMillis;
            this.fromOffset = fromOffset;
            this.settled = settled;
        }

        boolean matches(ConsumerRecord<byte[], byte[]> r) {
            if (!Arrays.equals(key, r.key())) {
                return false;
            }
            Header id = r.headers().lastHeader(RecordLayout.ID_HEADER);
            if (id == null || !Arrays.equals(eventId, id.value())) {
                return false;
            }
            Header by = r.headers().lastHeader(Publisher.PUBLISHER_HEADER);
            return publisher == null || (by != null && Arrays.equals(publisher, by.value()));
        }
    }
}
