package io.roomcast.topic;

import io.roomcast.position.Epoch;
import org.apache.kafka.common.Uuid;

/** What Kafka says about a namespace's topic: its id and partition count, and so its epoch. */
public record TopicInfo(String topic, Uuid topicId, int partitions) {
    public Epoch epoch() {
        return Epoch.of(topicId, partitions);
    }
}
