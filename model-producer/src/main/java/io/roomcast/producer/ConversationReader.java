package io.roomcast.producer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.history.BackwardWindows;
import io.roomcast.history.PartitionScanner;
import io.roomcast.room.RoomName;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Reads a room's own log with separate consumers (assigned, never in a group) — the room is the
 * source of truth for the conversation and for what earlier producers did:
 * <ul>
 * <li>{@link #recentTurns} reads backwards from a prompt in growing windows until it has the
 * last N prompts, or hits the start of the partition or the scan budget;</li>
 * <li>{@link #priorAttempt} reads forwards from a prompt to see whether a previous owner
 * started or finished its generation.</li>
 * </ul>
 * Both scan with broker-core's {@link PartitionScanner} (backwards in {@link BackwardWindows}), the
 * scanner the edge's history reader uses too. Every read is bounded by a deadline, the context read
 * also by a record budget and by the bytes of the events it keeps ({@link #CONTEXT_BYTES}: the
 * newest are kept, older turns are left out). Consumers read committed records only: an aborted (fenced) attempt does
 * not count. Thread-safe: each call borrows one of at most {@code poolSize} scanners (callers hold a
 * bulkhead slot, so they rarely wait).
 */
final class ConversationReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConversationReader.class);
    private static final int FIRST_WINDOW = 256;
    /**
     * Bytes of a room's conversation events (values, plus {@link #EVENT_OVERHEAD} each) one context
     * read holds at most, half of them for the answers after the prompt: the record budget alone
     * would let 20,000 prompts of a megabyte each be held.
     */
    static final long CONTEXT_BYTES = 8L * 1024 * 1024;
    private static final int EVENT_OVERHEAD = 128;

    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final BlockingQueue<PartitionScanner> idle;
    private final List<PartitionScanner> all = new ArrayList<>();
    private final int poolSize;
    private final ObjectMapper json;
    private final PromptParser prompts;
    private final int maxScanRecords;
    private final int maxAnswerChars;
    private final Duration readTimeout;
    private final long maxContextBytes;
    private final Runnable contextCut;
    private boolean closed;

    /** @param contextCut called (on the reading thread) for each context read that left events out for {@code maxContextBytes} */
    ConversationReader(Supplier<Consumer<byte[], byte[]>> consumers, int poolSize, ObjectMapper json, PromptParser prompts,
                int maxScanRecords, int maxAnswerChars, Duration readTimeout, long maxContextBytes, Runnable contextCut) {
        this.consumers = consumers;
        this.idle = new ArrayBlockingQueue<>(poolSize);
        this.poolSize = poolSize;
        this.json = json;
        this.prompts = prompts;
        this.maxScanRecords = maxScanRecords;
        this.maxAnswerChars = maxAnswerChars;
        this.readTimeout = readTimeout;
        this.maxContextBytes = maxContextBytes;
        this.contextCut = contextCut;
    }

    /**
     * The last {@code maxTurns} turns of the prompt's room before the prompt, oldest first.
     * Answers to those prompts may lie after the prompt in the log (prompts published while an
     * earlier one was being answered), so the log after the prompt is read too, up to its current
     * end, for answers only.
     */
    List<Turn> recentTurns(RoomRecord prompt, int maxTurns) throws InterruptedException {
        if (maxTurns == 0 || prompt.offset() == 0) {
            return List.of();
        }
        PartitionScanner scanner;
        try {
            scanner = borrow();
        } catch (IllegalStateException e) {
            return withoutContext(prompt, e); // no reader free in time (partitions just assigned read their ends too)
        }
        try {
            Consumer<byte[], byte[]> consumer = scanner.consumer();
            TopicPartition tp = prompt.partition();
            long deadline = System.nanoTime() + readTimeout.toNanos();
            long begin = consumer.beginningOffsets(List.of(tp), readTimeout).getOrDefault(tp, 0L);
            long end = consumer.endOffsets(List.of(tp), readTimeout).getOrDefault(tp, 0L);
            long afterEnd = Math.min(end, prompt.offset() + 1 + maxScanRecords / 2);
            Kept afterBudget = new Kept(maxContextBytes / 2);
            List<RoomRecord> after = afterEnd > prompt.offset() + 1
                    ? readOldest(scanner, tp, prompt.offset() + 1, afterEnd, prompt.room(), deadline, afterBudget)
                    : List.of();
            long scanned = Math.max(0, afterEnd - prompt.offset() - 1);
            Kept before = new Kept(maxContextBytes - afterBudget.used);
            List<List<RoomRecord>> segments = new ArrayList<>();
            BackwardWindows windows = new BackwardWindows(prompt.offset(), begin, FIRST_WINDOW, 4, maxScanRecords, maxScanRecords - scanned);
            int promptsSeen = 0;
            while (windows.hasNext() && promptsSeen < maxTurns && !before.cut && System.nanoTime() < deadline) {
                BackwardWindows.Window window = windows.next();
                List<RoomRecord> segment = readNewest(scanner, tp, window.start(), window.end(), prompt.room(), deadline, before);
                promptsSeen += (int) segment.stream().filter(e -> EventTypes.PROMPT.equals(e.type())).count();
                segments.add(0, segment);
            }
            segments.add(after);
            if (afterBudget.cut || before.cut) {
                contextCut.run();
            }
            ConversationAssembler assembler = new ConversationAssembler(json, prompts, maxAnswerChars);
            segments.forEach(segment -> segment.forEach(assembler::add));
            return assembler.lastTurns(maxTurns);
        } catch (KafkaException e) {
            return withoutContext(prompt, e);
        } finally {
            giveBack(scanner);
        }
    }

    /**
     * Whether events of the prompt's generation exist in {@code (prompt, scanEnd)}. Every owner
     * answers a partition's prompts in offset order, so the first generation event of a later
     * prompt of the partition (of any room) ends the search: nothing of this prompt follows it.
     * A log that cannot be read is reported as {@link PriorAttempt#UNFINISHED}: a superfluous
     * restart marker is harmless, a silent duplicate answer is not.
     */
    PriorAttempt priorAttempt(RoomRecord prompt, long scanEnd) throws InterruptedException {
        String id = prompt.generationId().value();
        PartitionScanner scanner;
        try {
            scanner = borrow();
        } catch (IllegalStateException e) {
            return unreadable(id, e);
        }
        try {
            long deadline = System.nanoTime() + readTimeout.toNanos();
            PriorAttempt[] result = {PriorAttempt.NONE};
            boolean complete = scan(scanner, prompt.partition(), prompt.offset() + 1, scanEnd, deadline, event -> {
                if (!EventTypes.TERMINAL.contains(event.type()) && !EventTypes.STARTED.equals(event.type())
                        && !EventTypes.RESTARTED.equals(event.type())) {
                    return true;
                }
                GenerationId owner = generationOf(event);
                if (owner == null || !owner.topicPartition().equals(prompt.partition())) {
                    return true;
                }
                if (owner.offset() > prompt.offset()) {
                    return false;
                }
                if (owner.offset() == prompt.offset() && Objects.equals(event.room(), prompt.room())) {
                    result[0] = EventTypes.TERMINAL.contains(event.type()) ? PriorAttempt.FINISHED : PriorAttempt.UNFINISHED;
                    return result[0] != PriorAttempt.FINISHED;
                }
                return true;
            });
            if (!complete) {
                log.atWarn().addKeyValue("generationId", id).log("room log scan timed out; assuming an unfinished earlier attempt");
                return result[0] == PriorAttempt.FINISHED ? PriorAttempt.FINISHED : PriorAttempt.UNFINISHED;
            }
            return result[0];
        } catch (KafkaException e) {
            return unreadable(id, e);
        } finally {
            giveBack(scanner);
        }
    }

    /** The room's history cannot be read (Kafka, or no reader free in time): the prompt is answered without context. */
    private static List<Turn> withoutContext(RoomRecord prompt, RuntimeException e) {
        log.atWarn().addKeyValue("room", prompt.room()).addKeyValue("reason", e.getMessage()).log("cannot read the room's history; answering without context");
        return List.of();
    }

    /** The room log cannot be read: a superfluous restart marker is harmless, a silent duplicate answer is not. */
    private static PriorAttempt unreadable(String generationId, RuntimeException e) {
        log.atWarn().addKeyValue("generationId", generationId).addKeyValue("reason", e.getMessage())
                .log("cannot read the room log; assuming an unfinished earlier attempt");
        return PriorAttempt.UNFINISHED;
    }

    /**
     * How far the partition's committed records reach (the last stable offset: this reader reads committed records
     * only); -1 when it cannot be read now (the caller asks again). Called on a partition worker.
     */
    long committedEnd(TopicPartition tp) throws InterruptedException {
        PartitionScanner scanner;
        try {
            scanner = borrow();
        } catch (IllegalStateException e) {
            return -1;
        }
        try {
            return scanner.consumer().endOffsets(List.of(tp), readTimeout).getOrDefault(tp, -1L);
        } catch (KafkaException e) {
            log.atWarn().addKeyValue("partition", tp).addKeyValue("reason", e.getMessage())
                    .log("cannot read the partition's end yet; retrying");
            return -1;
        } finally {
            giveBack(scanner);
        }
    }

    private GenerationId generationOf(RoomRecord event) {
        if (event.value() == null) {
            return null;
        }
        try {
            JsonNode data = json.readTree(event.value());
            return data == null ? null : GenerationId.parse(data.path("generationId").asText(null)).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** Bytes of conversation events a context read may still keep; {@code cut} once it left one out. */
    private static final class Kept {
        final long limit;
        long used;
        boolean cut;

        Kept(long limit) {
            this.limit = limit;
        }
    }

    /**
     * The answers after the prompt: the room's events in {@code [from, to)} of the partition that a
     * conversation is made of, prompts aside, oldest first, read until {@code deadline} or until
     * {@code kept} is spent. Only those are kept: a room's other events (large chat messages, say)
     * would otherwise be held, payloads and all, up to the scan budget's record count.
     */
    private static List<RoomRecord> readOldest(PartitionScanner scanner, TopicPartition tp, long from, long to, RoomName room,
                                               long deadline, Kept kept) {
        List<RoomRecord> events = new ArrayList<>();
        scan(scanner, tp, from, to, deadline, event -> {
            if (!partOfConversation(room, event) || EventTypes.PROMPT.equals(event.type())) {
                return true;
            }
            if (kept.used + size(event) > kept.limit) {
                kept.cut = true;
                return false;
            }
            kept.used += size(event);
            events.add(event);
            return true;
        });
        return events;
    }

    /**
     * A window before the prompt: its conversation events, the newest that fit in {@code kept} (older
     * ones are left out and {@code kept} marked cut, so no older window is read).
     */
    private static List<RoomRecord> readNewest(PartitionScanner scanner, TopicPartition tp, long from, long to, RoomName room,
                                               long deadline, Kept kept) {
        ArrayDeque<RoomRecord> events = new ArrayDeque<>();
        scan(scanner, tp, from, to, deadline, event -> {
            if (partOfConversation(room, event)) {
                events.addLast(event);
                kept.used += size(event);
                while (kept.used > kept.limit) {
                    kept.used -= size(events.pollFirst());
                    kept.cut = true;
                }
            }
            return true;
        });
        return new ArrayList<>(events);
    }

    private static boolean partOfConversation(RoomName room, RoomRecord event) {
        return Objects.equals(room, event.room()) && ConversationAssembler.TYPES.contains(event.type());
    }

    private static long size(RoomRecord event) {
        return EVENT_OVERHEAD + (event.value() == null ? 0 : event.value().length);
    }

    /**
     * Shows every record in {@code [from, to)} to {@code visitor} until it returns {@code false};
     * returns {@code false} only if the deadline passed first.
     */
    private static boolean scan(PartitionScanner scanner, TopicPartition tp, long from, long to, long deadline,
                                Predicate<RoomRecord> visitor) {
        long at = from;
        while (at < to) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.isNegative() || left.isZero()) {
                return false;
            }
            PartitionScanner.Scan scan = scanner.forward(tp, at, to, new PartitionScanner.Budget(Integer.MAX_VALUE, left, left),
                    record -> visitor.test(RoomRecord.of(record)));
            if (scan.stopped()) {
                return true;
            }
            at = scan.next();
        }
        return true;
    }

    private PartitionScanner borrow() throws InterruptedException {
        PartitionScanner scanner = idle.poll();
        if (scanner != null) {
            return scanner;
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("room history is closed");
            }
            if (all.size() < poolSize) {
                scanner = new PartitionScanner(consumers.get());
                all.add(scanner);
                return scanner;
            }
        }
        scanner = idle.poll(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        if (scanner == null) {
            throw new IllegalStateException("no room history reader free");
        }
        return scanner;
    }

    private void giveBack(PartitionScanner scanner) {
        synchronized (this) {
            if (closed) {
                scanner.consumer().close(CloseOptions.timeout(Duration.ZERO));
                return;
            }
        }
        idle.offer(scanner);
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        // consumers in use are closed by giveBack; the idle ones here
        PartitionScanner scanner;
        while ((scanner = idle.poll()) != null) {
            scanner.consumer().close(CloseOptions.timeout(Duration.ZERO));
        }
    }
}
