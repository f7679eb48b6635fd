package io.roomcast.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one of Roomcast's reading consumers (the live tail, the history readers, the publish lookup,
 * the snapshot reader) sets before the operator's Kafka settings: its client id, where it starts
 * without a position, how many records one poll parses and how long a fetch may wait for data. The
 * operator's settings win over these. The isolation level does not yield: an aborted transaction's
 * records (a fenced producer's, a stranger's rolled-back write) were never written, so they reach
 * no subscriber (live, replayed or as a room's snapshot) and no retry's lookup.
 */
public record ConsumerDefaults(String clientId, String offsetReset, int maxPollRecords, int fetchMaxWaitMs) {
    public ConsumerDefaults {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(offsetReset, "offsetReset");
        if (maxPollRecords < 1 || fetchMaxWaitMs < 0) {
            throw new IllegalArgumentException("maxPollRecords must be positive and fetchMaxWaitMs not negative");
        }
    }

    /**
     * The consumer's settings: {@code bootstrapServers}, these defaults, then {@code operator}'s
     * settings over them, then {@code read_committed}. Any thread; {@code operator} is not changed.
     */
    public Map<String, Object> under(String bootstrapServers, Map<String, Object> operator) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, fetchMaxWaitMs);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.putAll(operator);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }
}
