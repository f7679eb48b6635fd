package io.roomcast.producer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.room.RoomName;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The transactional writer of one prompt partition against Kafka's MockProducer. */
class ProducerPartitionWriterTest {
    private static final TopicPartition TP = new TopicPartition("roomcast.chat", 3);
    private static final RoomName ROOM = RoomName.of("chat:w");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final PartitionWriter writer = new PartitionWriter(producer, TP, "group-1", JSON, timer, Duration.ofMillis(10));

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void shouldNameOneTransactionalIdPerGroupAndPartition() {
        assertThat(PartitionWriter.transactionalId("group-1", TP)).isEqualTo("roomcast-producer.group-1.roomcast.chat.3");
        assertThat(PartitionWriter.producerProperties(ModelProducerConfig.builder("k:9092").groupId("g").build(), TP))
                .containsEntry("transactional.id", "roomcast-producer.g.roomcast.chat.3")
                .containsEntry("enable.idempotence", "true");
    }

    @Test
    void shouldCommitTokensWithinTheIntervalAndTheTerminalEventWithTheOffset() {
        assertThat(writer.ready()).isTrue();
        PartitionWriter.Sent token = writer.send(ROOM, EventTypes.TOKEN, JSON.createObjectNode().put("seq", 0));
        assertThat(token.acknowledged()).isCompleted();
        assertThat(producer.transactionInFlight()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.transactionCommitted() && !producer.transactionInFlight());
        assertThat(token.committed()).isCompleted();

        assertThat(writer.commit(ROOM, EventTypes.DONE, JSON.createObjectNode(), 42)).isTrue();
        assertThat(producer.consumerGroupOffsetsHistory()).last().isEqualTo(Map.of("group-1", Map.of(TP, new OffsetAndMetadata(42))));
        assertThat(producer.history()).hasSize(2);
        assertThat(writer.abortedTransactions()).isZero();
    }

    @Test
    void shouldStopWritingOnceFenced() {
        assertThat(writer.ready()).isTrue();
        producer.fenceProducer();
        assertThat(writer.commit(ROOM, EventTypes.DONE, JSON.createObjectNode(), 7)).isFalse();
        assertThat(writer.fenced()).isTrue();
        assertThat(writer.send(ROOM, EventTypes.TOKEN, JSON.createObjectNode()).committed()).isCompletedExceptionally();
    }

    @Test
    void shouldAbortATransactionThatCannotBeCommittedAndGoOn() {
        assertThat(writer.ready()).isTrue();
        producer.commitTransactionException = new KafkaException("broker said no");
        assertThat(writer.commit(ROOM, EventTypes.DONE, JSON.createObjectNode(), 7)).isFalse();
        assertThat(writer.abortedTransactions()).isEqualTo(1);
        assertThat(producer.transactionAborted()).isTrue();
        assertThat(writer.fenced()).isFalse();

        producer.commitTransactionException = null;
        assertThat(writer.commit(ROOM, EventTypes.ERROR, JSON.createObjectNode(), 7)).isTrue();
    }

    @Test
    void shouldTellWhichSentEventsBecameVisible() {
        PartitionWriter slow = new PartitionWriter(producer, TP, "group-1", JSON, timer, Duration.ofHours(1));
        assertThat(slow.ready()).isTrue();
        PartitionWriter.Sent seen = slow.send(ROOM, EventTypes.TOKEN, JSON.createObjectNode().put("seq", 0));
        assertThat(seen.acknowledged()).isCompleted();
        assertThat(seen.committed()).isNotDone();
        assertThat(slow.commit(ROOM, EventTypes.DONE, JSON.createObjectNode(), 7)).isTrue();
        assertThat(seen.committed()).isCompleted();

        producer.commitTransactionException = new KafkaException("broker said no");
        PartitionWriter.Sent lost = slow.send(ROOM, EventTypes.TOKEN, JSON.createObjectNode().put("seq", 1));
        assertThat(slow.commit(ROOM, EventTypes.ERROR, JSON.createObjectNode(), 8)).isFalse();
        assertThat(lost.acknowledged()).isCompleted();
        assertThat(lost.committed()).isCompletedExceptionally();
    }

    @Test
    void shouldNotWriteBeforeItOwnsTheTransactionalId() {
        assertThat(writer.send(ROOM, EventTypes.TOKEN, JSON.createObjectNode()).acknowledged()).isCompletedExceptionally();
        assertThat(producer.history()).isEmpty();
    }
}
