package io.roomcast.producer;

import io.roomcast.room.RoomName;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Answers one partition's prompts one after the other, in offset order — so a room's prompts
 * are answered in order — while the consumer thread keeps polling (and so sees cancels).
 *
 * <p>The consumer thread offers prompts into a bounded queue and pauses the partition when it
 * is full. The worker occupies a thread of the shared executor only while it has prompts.
 * Each finished prompt is reported to {@code completions}. {@link #cancel} and
 * {@link #abandon} are called by the consumer thread; everything else runs on the worker.
 *
 * <p>The worker writes through the partition's own {@link PartitionWriter}. Before its first
 * prompt it takes the partition's transactional id over ({@link #prepare}), which fences a
 * previous owner and aborts what it left open — before the room log is read for earlier attempts.
 * Only then does it read how far the log's committed records reach ({@link #replayEnd}): a previous
 * owner that was still writing while this process was assigned the partition may have committed
 * answers up to the moment it was fenced, and they must count as earlier attempts.
 */
final class PartitionWorker {
    private static final Logger log = LoggerFactory.getLogger(PartitionWorker.class);
    private static final long MAX_READY_BACKOFF_MS = 2_000;

    /** A prompt of a worker ended; {@code outcome} says whether its offset may be committed. */
    record Completion(PartitionWorker worker, long offset, GenerationTask.Outcome outcome) {
    }

    private final TopicPartition partition;
    private final PartitionWriter writer;
    private final BlockingQueue<GenerationTask> queue;
    private final Executor executor;
    private final Consumer<Completion> completions;
    private final CommittedEnd committedEnd;
    private final Object lock = new Object();
    /** The partition's committed end once the transactional id is ours; -1 before. */
    private volatile long replayEnd = -1;
    private volatile GenerationTask current;
    private boolean scheduled;
    private volatile boolean stopped;

    /** Reads the partition's end for readers of committed records; -1 when it cannot be read now. */
    @FunctionalInterface
    interface CommittedEnd {
        long read() throws InterruptedException;
    }

    /**
     * @param committedEnd read on the worker once the transactional id is taken over, until it answers: no prompt is
     *                     answered before
     */
    PartitionWorker(PartitionWriter writer, int capacity, Executor executor, Consumer<Completion> completions,
                    CommittedEnd committedEnd) {
        this.partition = writer.partition();
        this.writer = writer;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.executor = executor;
        this.completions = completions;
        this.committedEnd = committedEnd;
    }

    TopicPartition partition() {
        return partition;
    }

    PartitionWriter writer() {
        return writer;
    }

    /**
     * Below this offset a prompt may already have been (partly) answered by a previous owner: the partition's
     * committed end read after this worker fenced the previous owners. Called by a task on the worker; -1 before the
     * take-over.
     */
    long replayEnd() {
        return replayEnd;
    }

    /** Starts taking the partition's transactional id over now, before any prompt arrives (consumer thread). */
    void prepare() {
        schedule();
    }

    /** Queues a prompt; {@code false} when the queue is full (the caller pauses the partition). */
    boolean offer(GenerationTask task) {
        if (stopped || !queue.offer(task)) {
            return false;
        }
        schedule();
        return true;
    }

    boolean hasRoom() {
        return queue.remainingCapacity() > 0;
    }

    /** Cancels the queued or running generation the cancel event of {@code room} names. */
    boolean cancel(RoomName room, CancelTarget target) {
        GenerationTask running = current;
        if (running != null && matches(running, room, target)) {
            running.cancel();
            return true;
        }
        for (GenerationTask task : queue) {
            if (matches(task, room, target)) {
                task.cancel();
                return true;
            }
        }
        return false;
    }

    private static boolean matches(GenerationTask task, RoomName room, CancelTarget target) {
        // a cancel only counts in the prompt's own room: generation ids are easy to guess
        return Objects.equals(task.prompt().room(), room) && target.matches(task.id());
    }

    /** Stops at once: the running generation is abandoned, queued prompts are dropped uncommitted. */
    void abandon() {
        stopped = true;
        writer.abandon();
        queue.clear();
        synchronized (lock) {
            lock.notifyAll(); // a worker waiting to retry the writer's set-up
        }
        GenerationTask running = current;
        if (running != null) {
            running.abandon();
        }
    }

    /** Waits until the worker thread has left; {@code false} if it did not within {@code timeout}. */
    boolean awaitStopped(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (scheduled) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
        return true;
    }

    private void schedule() {
        synchronized (lock) {
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (lock) {
                scheduled = false;
                lock.notifyAll();
            }
        }
    }

    /** Takes the transactional id over, retrying with backoff; {@code false} if stopped or fenced first. */
    private boolean awaitWriter() throws InterruptedException {
        long backoff = 100;
        while (!stopped && !writer.ready()) {
            if (writer.fenced()) {
                // a newer owner already holds the partition; the consumer learns it at its next poll
                stopped = true;
                queue.clear();
                return false;
            }
            synchronized (lock) {
                lock.wait(backoff);
            }
            backoff = Math.min(backoff * 2, MAX_READY_BACKOFF_MS);
        }
        return !stopped;
    }

    /** Reads the partition's committed end once, retrying with backoff; {@code false} if stopped first. */
    private boolean awaitReplayEnd() throws InterruptedException {
        long backoff = 100;
        while (!stopped && replayEnd < 0) {
            long end = committedEnd.read();
            if (end >= 0) {
                replayEnd = end;
                break;
            }
            synchronized (lock) {
                lock.wait(backoff);
            }
            backoff = Math.min(backoff * 2, MAX_READY_BACKOFF_MS);
        }
        return !stopped;
    }

    private void drain() {
        try {
            if (!awaitWriter() || !awaitReplayEnd()) {
                return;
            }
            GenerationTask task;
            while (!stopped && (task = queue.poll()) != null) {
                current = task;
                if (stopped) {
                    task.abandon();
                }
                GenerationTask.Outcome outcome = task.call();
                current = null;
                completions.accept(new Completion(this, task.prompt().offset(), outcome));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.atError().setCause(e).addKeyValue("partition", partition).log("partition worker failed");
        } finally {
            current = null;
            synchronized (lock) {
                scheduled = false;
                lock.notifyAll();
            }
            if (!stopped && !queue.isEmpty()) {
                schedule();
            }
        }
    }
}
