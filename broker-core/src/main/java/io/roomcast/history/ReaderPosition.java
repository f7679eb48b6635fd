package io.roomcast.history;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Where one history reader's consumer stands, with the records it fetched beyond the last read.
 * A replay reads a room chunk by chunk, each chunk starting where the previous one ended; when the
 * consumer already stands there the next chunk continues from what Kafka sent instead of seeking
 * and fetching the same records again. At most one poll's records ({@code max.poll.records}) wait.
 *
 * <p>Threading: owned by the reader's thread, like its consumer.
 */
final class ReaderPosition {
    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> fetched = new ArrayDeque<>();
    private TopicPartition partition;
    private long next = -1;

    /** Makes {@code from} in {@code p} the next offset to read, keeping fetched records when it already is. */
    void moveTo(Consumer<byte[], byte[]> consumer, TopicPartition p, long from) {
        if (p.equals(partition) && from == next) {
            return;
        }
        if (!p.equals(partition)) {
            consumer.assign(List.of(p));
        }
        consumer.seek(p, from);
        partition = p;
        next = from;
        fetched.clear();
    }

    /** The next fetched record, polling once when none is waiting; null when that poll brought nothing. */
    ConsumerRecord<byte[], byte[]> peek(Consumer<byte[], byte[]> consumer, Duration poll) {
        if (fetched.isEmpty()) {
            fetched.addAll(consumer.poll(poll).records(partition));
        }
        return fetched.peekFirst();
    }

    /** Drops the record {@link #peek} returned: it has been read. */
    void take() {
        fetched.pollFirst();
    }

    /** The read ended here; the next read from {@code offset} continues without a seek. */
    void endedAt(long offset) {
        next = offset;
    }

    /** After a failure nothing is known about the consumer's position. */
    void forget() {
        partition = null;
        next = -1;
        fetched.clear();
    }
}
