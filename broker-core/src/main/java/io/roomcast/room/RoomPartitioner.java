package io.roomcast.room;

import org.apache.kafka.common.utils.Utils;

/**
 * Where Kafka's default partitioner puts a room: murmur2 of the key, as every Kafka client
 * (Java, librdkafka's {@code murmur2_random}, kafkajs) computes it for a keyed record.
 */
public final class RoomPartitioner {
    private RoomPartitioner() {
    }

    public static int partition(RoomName room, int partitions) {
        return Utils.toPositive(Utils.murmur2(room.keyBytes())) % partitions;
    }
}
