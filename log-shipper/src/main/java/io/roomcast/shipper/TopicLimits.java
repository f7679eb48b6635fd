package io.roomcast.shipper;

import java.util.HashMap;
import java.util.Map;

/**
 * What the shipper's topics accept, read from their {@code max.message.bytes}: every record
 * value is cut to fit its topic (see {@link EventEncoder}) and every batch stays below the
 * smallest limit. So Kafka never refuses a record or a batch for its size, the one non-retriable
 * failure a log line can cause by itself. A refused record would stop shipping at that line
 * until the topic accepts it; a refused batch would be split and resent by the producer, and a
 * part of it could land after a record that failed, moving the position stored in Kafka past
 * lines that were never written. Immutable; read at start-up and at every re-synchronisation.
 */
final class TopicLimits {
    /** Room in a batch for the record's key, its headers and the batch header besides the value. */
    static final int OVERHEAD_BYTES = 2048;
    private static final int MIN_VALUE_BYTES = 1024;

    private final Map<String, EventEncoder> encoders = new HashMap<>();
    private final int batchBytes;

    /**
     * @param maxMessageBytes each topic's {@code max.message.bytes}
     * @param maxEventBytes   the shipper's own limit of a record value ({@code maxEventBytes})
     */
    TopicLimits(Map<String, Integer> maxMessageBytes, int maxEventBytes) {
        int smallest = Integer.MAX_VALUE;
        for (Map.Entry<String, Integer> e : maxMessageBytes.entrySet()) {
            int room = Math.max(MIN_VALUE_BYTES, e.getValue() - OVERHEAD_BYTES);
            encoders.put(e.getKey(), new EventEncoder(Math.min(maxEventBytes, room)));
            smallest = Math.min(smallest, room);
        }
        this.batchBytes = smallest;
    }

    /** The encoder that keeps record values within {@code topic}'s limit. */
    EventEncoder encoder(String topic) {
        EventEncoder encoder = encoders.get(topic);
        if (encoder == null) {
            throw new IllegalStateException("no size limit known for topic " + topic);
        }
        return encoder;
    }

    /** The largest batch every topic accepts ({@link Integer#MAX_VALUE} without topics). */
    int batchBytes() {
        return batchBytes;
    }
}
