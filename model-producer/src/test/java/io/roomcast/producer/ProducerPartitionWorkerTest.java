package io.roomcast.producer;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A partition worker's order of take-over: the partition's committed end, below which prompts are checked for a
 * previous owner's answer, is read only after the transactional id is ours (the previous owner fenced). Read before,
 * an answer the previous owner committed in between would lie beyond it and its prompt would be answered twice.
 */
class ProducerPartitionWorkerTest {
    private static final TopicPartition TP = new TopicPartition("roomcast.chat", 1);

    /** Kafka's transaction coordinator does not answer the first take-over in time. */
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
        private int attempts;

        @Override
        public void initTransactions() {
            if (attempts++ == 0) {
                throw new TimeoutException("coordinator not available");
            }
            super.initTransactions();
        }
    };
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final PartitionWriter writer = new PartitionWriter(producer, TP, "group-1", new ObjectMapper(), timer, Duration.ofMillis(10));

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void shouldReadTheCommittedEndOnlyOnceThePreviousOwnersAreFenced() {
        List<Boolean> fencedWhenRead = new ArrayList<>();
        // the executor runs the worker in place: prepare() returns after the take-over, retries included
        PartitionWorker worker = new PartitionWorker(writer, 4, Runnable::run, c -> { }, () -> {
            fencedWhenRead.add(producer.transactionInitialized());
            return 41;
        });
        assertThat(worker.replayEnd()).isEqualTo(-1);

        worker.prepare();

        assertThat(fencedWhenRead).as("read once, after the take-over that succeeded").containsExactly(true);
        assertThat(worker.replayEnd()).isEqualTo(41);
    }

    @Test
    void shouldReadTheCommittedEndAgainUntilKafkaAnswers() {
        List<Long> answers = new ArrayList<>(List.of(-1L, -1L, 57L));
        PartitionWorker worker = new PartitionWorker(writer, 4, Runnable::run, c -> { }, () -> answers.remove(0));
        worker.prepare();
        assertThat(answers).as("asked until it answered").isEmpty();
        assertThat(worker.replayEnd()).isEqualTo(57);
    }
}
