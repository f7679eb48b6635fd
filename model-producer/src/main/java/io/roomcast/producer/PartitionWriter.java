package io.roomcast.producer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.event.RecordLayout;
import io.roomcast.room.RoomName;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes one prompt partition's generation events in Kafka transactions under the partition's own
 * transactional id ({@link #transactionalId}), so only the partition's current owner can write them.
 * A new owner's {@link #ready()} (Kafka's {@code initTransactions}) bumps the id's epoch: the
 * transaction a stalled previous owner left open is aborted, and every later write or commit of that
 * zombie fails as fenced. Readers see committed records only ({@code read_committed}), so nothing a
 * zombie wrote after it lost the partition ever reaches a subscriber.
 *
 * <p>Latency: tokens become visible when their transaction commits. A transaction begins with the
 * first record after a commit and is committed {@code commitInterval} later by a timer (or at once
 * with a terminal event, together with the prompt's consumed offset), so a token waits at most
 * about {@code commitInterval} plus one commit round trip.
 *
 * <p>Threading: {@link #ready}, {@link #send} and {@link #commit} are called by the partition's
 * worker thread, {@link #commitOpen} by the commit timer, {@link #abandon} and {@link #close} by
 * the consumer thread; the Kafka transaction is driven under one lock.
 */
final class PartitionWriter {
    private static final Logger log = LoggerFactory.getLogger(PartitionWriter.class);

    /**
     * How long Kafka lets a transaction stay open before aborting it. It stays above the group's
     * session timeout (45 s by default): a stalled producer then always loses its partitions — and
     * the successor's {@link #ready()} aborts its open transaction — before Kafka would abort it
     * under a producer that still owns the partition, which cannot go on after that (its writer
     * stops until the next rebalance). So a stalled owner's open transaction holds back
     * {@code read_committed} readers of the whole partition (other rooms too) for the stall, at most
     * until the successor takes over.
     */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(60);

    private enum State { NEW, READY, FENCED, CLOSED }

    /**
     * One event sent: {@code acknowledged} completes when Kafka has it, {@code committed} when its
     * transaction committed, so subscribers see it; both fail if it never becomes visible.
     */
    record Sent(CompletableFuture<RecordMetadata> acknowledged, CompletableFuture<RecordMetadata> committed) {
    }

    private final Producer<byte[], byte[]> producer;
    private final TopicPartition partition;
    private final ObjectMapper json;
    private final ScheduledExecutorService timer;
    private final Duration commitInterval;
    private final ConsumerGroupMetadata group;
    private final AtomicLong aborted = new AtomicLong();
    private final Object lock = new Object();
    private volatile State state = State.NEW;
    private volatile boolean abandoned;
    private boolean inTransaction;
    private boolean commitUnfinished;
    private boolean abortUnfinished;
    private ScheduledFuture<?> scheduledCommit;
    /** What {@link #send} put into the transaction not yet committed or aborted. */
    private final List<Sent> uncommitted = new ArrayList<>();

    PartitionWriter(Producer<byte[], byte[]> producer, TopicPartition partition, String groupId, ObjectMapper json,
                    ScheduledExecutorService timer, Duration commitInterval) {
        this.producer = producer;
        this.partition = partition;
        this.group = new ConsumerGroupMetadata(groupId);
        this.json = json;
        this.timer = timer;
        this.commitInterval = commitInterval;
    }

    /** The transactional id of a prompt partition: the same in every producer process of the group. */
    static String transactionalId(String groupId, TopicPartition partition) {
        return "roomcast-producer." + groupId + "." + partition.topic() + "." + partition.partition();
    }

    /**
     * Producer settings of a partition's transactional producer: {@link RoomPublisher}'s settings
     * plus the partition's transactional id and {@link #TRANSACTION_TIMEOUT} (unless set with
     * {@code --kafka-property transaction.timeout.ms=...}).
     */
    static Properties producerProperties(ModelProducerConfig config, TopicPartition partition) {
        Properties props = RoomPublisher.producerProperties(config.bootstrapServers(), config.sendTimeout(), config.kafkaOverrides());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(config.groupId(), partition));
        props.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(TRANSACTION_TIMEOUT.toMillis()));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "roomcast-model-producer-" + partition);
        // one producer per owned partition: a smaller buffer each (sends block, bounded by the send timeout, when full)
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Integer.toString(4 * 1024 * 1024));
        return props;
    }

    TopicPartition partition() {
        return partition;
    }

    /**
     * Takes the partition's transactional id over (fencing any earlier owner); {@code true} once
     * done, {@code false} when Kafka did not answer in time (call again) or this writer is fenced.
     */
    boolean ready() {
        synchronized (lock) {
            if (state != State.NEW) {
                return state == State.READY;
            }
            try {
                producer.initTransactions();
                state = State.READY;
                log.atInfo().addKeyValue("partition", partition).log("transactional writer ready; earlier owners of the partition are fenced");
                return true;
            } catch (ProducerFencedException e) {
                fenced(e);
            } catch (TimeoutException e) {
                log.atWarn().addKeyValue("partition", partition).addKeyValue("reason", e.getMessage()).log("cannot take the partition's transactional id yet; retrying");
            } catch (KafkaException e) {
                log.atWarn().addKeyValue("partition", partition).addKeyValue("reason", e.getMessage()).log("taking the partition's transactional id failed; retrying");
            }
            return false;
        }
    }

    /** Whether another producer took the partition's transactional id over: nothing more can be written. */
    boolean fenced() {
        return state == State.FENCED;
    }

    /** How many transactions Kafka aborted so far: the events in them are lost. */
    long abortedTransactions() {
        return aborted.get();
    }

    /** Sends one event in the open transaction (beginning one if needed). */
    Sent send(RoomName room, String type, JsonNode data) {
        synchronized (lock) {
            Sent result = new Sent(new CompletableFuture<>(), new CompletableFuture<>());
            if (!begin(result.acknowledged())) {
                result.committed().completeExceptionally(new RoomPublisher.PublishException("not sent"));
                return result;
            }
            uncommitted.add(result);
            sendLocked(room, type, data, result.acknowledged());
            if (scheduledCommit == null && state == State.READY) {
                try {
                    scheduledCommit = timer.schedule(this::commitOpen, commitInterval.toNanos(), TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    // the producer is closing: close() commits or aborts what is open
                }
            }
            return result;
        }
    }

    /**
     * Writes a terminal event and commits it together with everything the open transaction holds
     * and the prompt's consumed offset ({@code nextOffset}) for the group; {@code true} once Kafka
     * committed it. On {@code false}, {@link #fenced()} tells whether the partition is gone.
     */
    boolean commit(RoomName room, String type, JsonNode data, long nextOffset) {
        synchronized (lock) {
            CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
            if (!begin(sent)) {
                return false;
            }
            sendLocked(room, type, data, sent);
            if (!inTransaction) {
                return false; // the producer refused the send, and the transaction was aborted with it
            }
            try {
                producer.sendOffsetsToTransaction(Map.of(partition, new OffsetAndMetadata(nextOffset)), group);
            } catch (KafkaException e) {
                fail(e);
                return false;
            }
            return commitLocked() && !sent.isCompletedExceptionally();
        }
    }

    /** Commits the open transaction (timer thread; also before giving the partition up). */
    void commitOpen() {
        synchronized (lock) {
            scheduledCommit = null;
            if (inTransaction) {
                commitLocked();
            }
        }
    }

    /** Stops retrying: the partition's generation is being abandoned (consumer thread). */
    void abandon() {
        abandoned = true;
    }

    private boolean begin(CompletableFuture<RecordMetadata> result) {
        if (state != State.READY) {
            result.completeExceptionally(new RoomPublisher.PublishException(state == State.FENCED
                    ? "fenced: another producer owns " + partition + " now" : "the writer of " + partition + " is not ready"));
            return false;
        }
        if (abortUnfinished) {
            abortLocked();
            if (abortUnfinished || state != State.READY) {
                result.completeExceptionally(new RoomPublisher.PublishException("the aborted transaction of " + partition + " is not settled yet"));
                return false;
            }
        }
        if (commitUnfinished && !commitLocked()) {
            result.completeExceptionally(new RoomPublisher.PublishException("the previous transaction of " + partition + " is not committed"));
            return false;
        }
        if (!inTransaction) {
            try {
                producer.beginTransaction();
                inTransaction = true;
            } catch (KafkaException e) {
                fail(e);
                result.completeExceptionally(new RoomPublisher.PublishException("cannot begin a transaction: " + e.getMessage(), e));
                return false;
            }
        }
        return true;
    }

    private void sendLocked(RoomName room, String type, JsonNode data, CompletableFuture<RecordMetadata> result) {
        try {
            producer.send(RecordLayout.toRecord(partition.topic(), room, type, json.writeValueAsBytes(data), null), (metadata, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(new RoomPublisher.PublishException("Kafka did not acknowledge the event: " + failure.getMessage(), failure));
                } else {
                    result.complete(metadata);
                }
            });
        } catch (JsonProcessingException e) {
            result.completeExceptionally(new RoomPublisher.PublishException("cannot encode the event: " + e.getMessage(), e));
        } catch (KafkaException e) {
            fail(e);
            result.completeExceptionally(new RoomPublisher.PublishException("cannot publish: " + e.getMessage(), e));
        }
    }

    /**
     * Commits; a commit that timed out must be retried before anything else (Kafka's rule), which
     * happens here or at the next send. {@code true} once committed.
     */
    private boolean commitLocked() {
        try {
            producer.commitTransaction();
            inTransaction = false;
            commitUnfinished = false;
            // the commit flushed: every send of the transaction is acknowledged (or the commit would have failed)
            uncommitted.forEach(sent -> sent.acknowledged().whenComplete((metadata, failure) -> {
                if (failure == null) {
                    sent.committed().complete(metadata);
                } else {
                    sent.committed().completeExceptionally(failure);
                }
            }));
            uncommitted.clear();
            return true;
        } catch (TimeoutException e) {
            commitUnfinished = !abandoned;
            log.atWarn().addKeyValue("partition", partition).addKeyValue("reason", e.getMessage()).log("transaction commit timed out; it is retried");
            return false;
        } catch (KafkaException e) {
            fail(e);
            return false;
        }
    }

    /**
     * A write or commit failed: fenced ends the writer; anything else aborts the transaction (its
     * events are lost). An old epoch (Kafka aborted the transaction, or a newer owner exists) is
     * abortable: a zombie's abort is then refused as fenced, a live owner goes on with a new transaction.
     */
    private void fail(KafkaException e) {
        if (isFencing(e)) {
            fenced(e);
            return;
        }
        log.atWarn().addKeyValue("partition", partition).addKeyValue("reason", e.getMessage()).log("aborting the partition's transaction");
        aborted.incrementAndGet();
        commitUnfinished = false;
        lost("the transaction was aborted");
        if (inTransaction) {
            abortLocked();
        }
    }

    /** Aborts; one that timed out (Kafka away) is retried before the next transaction begins. */
    private void abortLocked() {
        try {
            producer.abortTransaction();
            inTransaction = false;
            abortUnfinished = false;
        } catch (TimeoutException e) {
            abortUnfinished = true;
            log.atWarn().addKeyValue("partition", partition).addKeyValue("reason", e.getMessage()).log("transaction abort timed out; it is retried");
        } catch (KafkaException abortFailure) {
            abortUnfinished = false;
            if (isFencing(abortFailure)) {
                fenced(abortFailure);
            } else {
                // the producer is in a fatal state: nothing more can be written with it
                log.atError().setCause(abortFailure).addKeyValue("partition", partition).log("aborting the transaction failed; the writer stops");
                state = State.FENCED;
            }
        }
    }

    private static boolean isFencing(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException) {
                return true;
            }
        }
        return false;
    }

    private void fenced(KafkaException e) {
        if (state != State.FENCED) {
            log.atWarn().addKeyValue("partition", partition).addKeyValue("reason", e.getMessage())
                    .log("fenced: another producer took the partition over; this one writes nothing more to it");
        }
        state = State.FENCED;
        inTransaction = false;
        lost("fenced: the next owner aborts the transaction");
    }

    /** The open transaction will never be committed: none of its events becomes visible. */
    private void lost(String why) {
        uncommitted.forEach(sent -> sent.committed().completeExceptionally(new RoomPublisher.PublishException(why)));
        uncommitted.clear();
    }

    /**
     * Ends the writer when the partition is given up (consumer thread, after the worker stopped):
     * {@code commit} commits what the open transaction holds (a graceful hand-over, so the next
     * owner sees how far the answer got); otherwise it is aborted and never seen.
     */
    void close(boolean commit) {
        abandoned = true;
        synchronized (lock) {
            if (scheduledCommit != null) {
                scheduledCommit.cancel(false);
                scheduledCommit = null;
            }
            if (inTransaction && state == State.READY) {
                if (commit) {
                    commitLocked();
                } else {
                    lost("the partition was given up");
                    try {
                        producer.abortTransaction();
                    } catch (KafkaException e) {
                        if (isFencing(e)) {
                            fenced(e);
                        } else {
                            log.atDebug().addKeyValue("partition", partition).addKeyValue("reason", e.getMessage()).log("abort on close failed");
                        }
                    }
                }
            }
            state = State.CLOSED;
        }
        try {
            producer.close(Duration.ofSeconds(5));
        } catch (KafkaException e) {
            log.atWarn().addKeyValue("partition", partition).addKeyValue("reason", e.getMessage()).log("closing the partition's producer failed");
        }
    }
}
