package io.roomcast.producer;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The one thread that owns the group consumer over the generation topics. It never blocks on
 * a generation: it hands prompts to per-partition {@link PartitionWorker}s (pausing a partition
 * whose queue is full, after seeking back to the prompt that did not fit), routes cancels to
 * them at once, and commits each partition's {@link PartitionProgress} as prompts end.
 *
 * <p>Each partition's worker writes through the partition's own transactional
 * {@link PartitionWriter}, which commits a prompt's terminal event together with its offset; the
 * consumer's own commits move the position over stretches without prompts.
 *
 * <p>On revocation (cooperative rebalancing: only partitions that move are revoked) the
 * partition's worker is abandoned, its open transaction and its progress committed; on loss,
 * nothing is committed and the open transaction is aborted.
 * Either way the new owner re-reads every prompt without a terminal event.
 */
final class PromptLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(PromptLoop.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration STOP_WAIT = Duration.ofSeconds(15);

    private final Consumer<byte[], byte[]> consumer;
    private final Collection<String> topics;
    private final GenerationServices services;
    private final Executor workers;
    private final Function<TopicPartition, PartitionWriter> writers;
    private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
    private final ConcurrentLinkedQueue<PartitionWorker.Completion> completions = new ConcurrentLinkedQueue<>();
    private final CountDownLatch assigned = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Set<TopicPartition> assignment = Set.of();

    PromptLoop(Consumer<byte[], byte[]> consumer, Collection<String> topics, GenerationServices services, Executor workers,
               Function<TopicPartition, PartitionWriter> writers) {
        this.consumer = consumer;
        this.writers = writers;
        this.topics = List.copyOf(topics);
        this.services = services;
        this.workers = workers;
    }

    /** Waits for the first assignment (with positions resolved), for callers that must not publish earlier. */
    boolean awaitAssignment(Duration timeout) throws InterruptedException {
        return assigned.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    Set<TopicPartition> assignment() {
        return assignment;
    }

    /** Asks the loop to stop; it abandons running generations, commits and closes the consumer. */
    void stop() {
        running = false;
        consumer.wakeup();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(topics, new Rebalance());
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                dispatch(records);
                applyCompletions();
                resumeReady();
                commit();
            }
        } catch (WakeupException e) {
            if (running) {
                log.atError().setCause(e).log("prompt consumer woken up unexpectedly");
            }
        } catch (RuntimeException e) {
            log.atError().setCause(e).log("prompt consumer failed; stopping");
        } finally {
            stopAll(partitions.keySet(), true);
            try {
                consumer.close();
            } catch (KafkaException e) {
                log.atWarn().addKeyValue("reason", e.getMessage()).log("closing the prompt consumer failed");
            }
        }
    }

    private void dispatch(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            PartitionState state = partitions.get(tp);
            if (state == null || state.paused) {
                continue;
            }
            for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
                RoomRecord event = RoomRecord.of(record);
                if (!handle(state, event)) {
                    // the worker's queue is full: read this prompt again once it has room
                    consumer.seek(tp, record.offset());
                    consumer.pause(Set.of(tp));
                    state.paused = true;
                    break;
                }
                state.progress.consumed(record.offset() + 1);
            }
        }
    }

    /** Acts on one event; {@code false} if it is a prompt the worker has no room for. */
    private boolean handle(PartitionState state, RoomRecord event) {
        boolean prompt = EventTypes.PROMPT.equals(event.type());
        if (!prompt && !EventTypes.CANCEL.equals(event.type())) {
            return true; // messages, and our own output, are not for us
        }
        if (event.room() == null) {
            services.monitor().ignored(event, "the record key is not a valid room name");
            return true;
        }
        if (prompt) {
            if (!state.worker.offer(new GenerationTask(services, state.worker.writer(), event, state.worker::replayEnd))) {
                return false;
            }
            state.progress.dispatched(event.offset());
            return true;
        }
        try {
            CancelTarget target = services.prompts().cancel(event.value());
            if (!state.worker.cancel(event.room(), target)) {
                log.atDebug().addKeyValue("room", event.room()).addKeyValue("offset", event.offset())
                        .log("cancel for no running or queued generation");
            }
        } catch (InvalidEventException e) {
            services.monitor().ignored(event, e.getMessage());
        }
        return true;
    }

    private void applyCompletions() {
        PartitionWorker.Completion completion;
        while ((completion = completions.poll()) != null) {
            PartitionState state = partitions.get(completion.worker().partition());
            if (state != null && state.worker == completion.worker() && completion.outcome() == GenerationTask.Outcome.ANSWERED) {
                state.progress.answered(completion.offset());
            }
        }
    }

    private void resumeReady() {
        for (Map.Entry<TopicPartition, PartitionState> entry : partitions.entrySet()) {
            PartitionState state = entry.getValue();
            if (state.paused && state.worker.hasRoom()) {
                consumer.resume(Set.of(entry.getKey()));
                state.paused = false;
            }
        }
    }

    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = positions(partitions.keySet());
        if (!offsets.isEmpty()) {
            // the callback runs on this thread, inside a later poll()
            consumer.commitAsync(offsets, (committed, failure) -> {
                if (failure != null) {
                    log.atWarn().addKeyValue("reason", failure.getMessage()).log("offset commit failed; retrying with the next commit");
                }
                settled(offsets, failure == null);
            });
        }
    }

    /** Positions to commit; they are marked as being committed. */
    private Map<TopicPartition, OffsetAndMetadata> positions(Collection<TopicPartition> tps) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : tps) {
            PartitionState state = partitions.get(tp);
            if (state == null) {
                continue;
            }
            OptionalLong position = state.progress.commitPosition();
            if (position.isPresent()) {
                offsets.put(tp, new OffsetAndMetadata(position.getAsLong()));
                state.progress.commitRequested(position.getAsLong());
            }
        }
        return offsets;
    }

    private void settled(Map<TopicPartition, OffsetAndMetadata> offsets, boolean success) {
        offsets.forEach((tp, offset) -> {
            PartitionState state = partitions.get(tp);
            if (state != null) {
                if (success) {
                    state.progress.commitSucceeded(offset.offset());
                } else {
                    state.progress.commitFailed();
                }
            }
        });
    }

    /** Abandons the partitions' workers, waits for them, and commits what ended (if {@code commit}). */
    private void stopAll(Collection<TopicPartition> tps, boolean commit) {
        List<TopicPartition> stopping = new ArrayList<>(tps);
        stopping.forEach(tp -> partitions.get(tp).worker.abandon());
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        try {
            for (TopicPartition tp : stopping) {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                if (!partitions.get(tp).worker.awaitStopped(left)) {
                    log.atWarn().addKeyValue("partition", tp).log("partition worker did not stop in time");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        applyCompletions();
        // A partition handed over gracefully commits what its open transaction holds, so the next
        // owner sees how far the answer got and announces a restart; a lost one aborts it (it may
        // belong to a zombie already: the next owner fenced it).
        stopping.forEach(tp -> partitions.get(tp).worker.writer().close(commit));
        if (commit) {
            Map<TopicPartition, OffsetAndMetadata> offsets = positions(stopping);
            if (!offsets.isEmpty()) {
                try {
                    consumer.commitSync(offsets, Duration.ofSeconds(10));
                    settled(offsets, true);
                } catch (KafkaException e) {
                    log.atWarn().addKeyValue("reason", e.getMessage()).log("final offset commit failed; those prompts will be re-read and recognised");
                }
            }
        }
        stopping.forEach(partitions::remove);
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> added) {
            if (!added.isEmpty()) {
                for (TopicPartition tp : added) {
                    // resolve the starting position now, so that "assigned" really means "reading"
                    consumer.position(tp);
                    PartitionWorker worker = new PartitionWorker(writers.apply(tp), services.config().partitionQueue(), workers,
                            completions::add, () -> services.history().committedEnd(tp));
                    partitions.put(tp, new PartitionState(worker));
                    worker.prepare();
                }
                log.atInfo().addKeyValue("partitions", added).log("partitions assigned");
            }
            assignment = Set.copyOf(partitions.keySet());
            assigned.countDown();
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            if (!revoked.isEmpty()) {
                log.atInfo().addKeyValue("partitions", revoked).log("partitions revoked");
                stopAll(revoked.stream().filter(partitions::containsKey).toList(), true);
                assignment = Set.copyOf(partitions.keySet());
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            log.atWarn().addKeyValue("partitions", lost).log("partitions lost");
            stopAll(lost.stream().filter(partitions::containsKey).toList(), false);
            assignment = Set.copyOf(partitions.keySet());
        }
    }

    private static final class PartitionState {
        final PartitionWorker worker;
        final PartitionProgress progress = new PartitionProgress();
        boolean paused;

        PartitionState(PartitionWorker worker) {
            this.worker = worker;
        }
    }
}
