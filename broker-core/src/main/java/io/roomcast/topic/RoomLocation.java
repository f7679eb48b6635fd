package io.roomcast.topic;

import io.roomcast.position.Epoch;
import io.roomcast.room.Namespace;
import io.roomcast.room.RoomName;
import org.apache.kafka.common.TopicPartition;

/** Where a room lives: its namespace, its partition and the epoch of that partition's history. */
public record RoomLocation(RoomName room, Namespace namespace, TopicPartition partition, Epoch epoch) {
}
