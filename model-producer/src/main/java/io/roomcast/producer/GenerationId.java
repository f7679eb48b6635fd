package io.roomcast.producer;

import org.apache.kafka.common.TopicPartition;

import java.util.Objects;
import java.util.Optional;

/**
 * Names a generation by its prompt's place in the log, {@code topic:partition:offset}
 * (Kafka topic names cannot contain {@code :}). Deterministic, so whichever producer handles a
 * prompt — the first one, or another after a crash — uses the same id, and a takeover is
 * recognisable in the room.
 */
public record GenerationId(String topic, int partition, long offset) {
    public GenerationId {
        Objects.requireNonNull(topic, "topic");
        if (partition < 0 || offset < 0) {
            throw new IllegalArgumentException("partition and offset must not be negative");
        }
    }

    public static GenerationId of(TopicPartition partition, long offset) {
        return new GenerationId(partition.topic(), partition.partition(), offset);
    }

    /** Parses {@code topic:partition:offset}; empty if the text is not one. */
    public static Optional<GenerationId> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int last = text.lastIndexOf(':');
        int middle = last <= 0 ? -1 : text.lastIndexOf(':', last - 1);
        if (middle <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new GenerationId(text.substring(0, middle),
                    Integer.parseInt(text.substring(middle + 1, last)), Long.parseLong(text.substring(last + 1))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    /** The wire form. */
    public String value() {
        return topic + ":" + partition + ":" + offset;
    }

    @Override
    public String toString() {
        return value();
    }
}
