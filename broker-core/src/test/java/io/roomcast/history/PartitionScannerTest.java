package io.roomcast.history;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionScannerTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final PartitionScanner.Budget AMPLE = new PartitionScanner.Budget(1000, Duration.ofSeconds(5), Duration.ofSeconds(5));

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final PartitionScanner scanner = new PartitionScanner(consumer);

    @Test
    void shouldShowTheRangeInOrderAndStopWhereTheVisitorAsks() {
        consumer.assign(List.of(TP));
        consumer.updateBeginningOffsets(Map.of(TP, 0L));
        for (long o = 0; o < 10; o++) {
            consumer.addRecord(record(o));
        }
        List<Long> seen = new ArrayList<>();
        PartitionScanner.Scan scan = scanner.forward(TP, 2, 8, AMPLE, r -> seen.add(r.offset()) && r.offset() < 4);
        assertThat(seen).containsExactly(2L, 3L, 4L);
        assertThat(scan).isEqualTo(new PartitionScanner.Scan(5, 3, true));

        seen.clear();
        scan = scanner.forward(TP, 5, 8, AMPLE, r -> seen.add(r.offset()));
        assertThat(seen).containsExactly(5L, 6L, 7L);
        assertThat(scan).isEqualTo(new PartitionScanner.Scan(8, 3, false));
    }

    @Test
    void shouldFinishARangeWhoseLastOffsetsHoldNoRecords() {
        consumer.assign(List.of(TP));
        consumer.updateBeginningOffsets(Map.of(TP, 0L));
        consumer.addRecord(record(0));
        consumer.addRecord(record(7)); // 1..6: aborted or compacted away
        List<Long> seen = new ArrayList<>();
        PartitionScanner.Scan scan = scanner.forward(TP, 0, 5, AMPLE, r -> seen.add(r.offset()));
        assertThat(seen).containsExactly(0L);
        assertThat(scan.next()).isEqualTo(5);
        assertThat(scanner.forward(TP, 5, 8, AMPLE, r -> seen.add(r.offset())).next()).isEqualTo(8);
        assertThat(seen).containsExactly(0L, 7L);
    }

    @Test
    void shouldStopAtTheRecordBudget() {
        consumer.assign(List.of(TP));
        consumer.updateBeginningOffsets(Map.of(TP, 0L));
        for (long o = 0; o < 10; o++) {
            consumer.addRecord(record(o));
        }
        PartitionScanner.Scan scan = scanner.forward(TP, 0, 10, new PartitionScanner.Budget(4, Duration.ofSeconds(5), Duration.ofSeconds(5)), r -> true);
        assertThat(scan).isEqualTo(new PartitionScanner.Scan(4, 4, false));
    }

    @Test
    void shouldFailOnlyWhenNothingArrivesInTime() {
        consumer.assign(List.of(TP));
        consumer.updateBeginningOffsets(Map.of(TP, 0L));
        PartitionScanner.Budget short_ = new PartitionScanner.Budget(10, Duration.ofMillis(50), Duration.ofMillis(50));
        assertThatThrownBy(() -> scanner.forward(TP, 0, 3, short_, r -> true)).isInstanceOf(TimeoutException.class);
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset) {
        return new ConsumerRecord<>(TP.topic(), TP.partition(), offset, "k".getBytes(), ("v" + offset).getBytes());
    }
}
