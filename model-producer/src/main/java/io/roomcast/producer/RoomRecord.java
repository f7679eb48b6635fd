package io.roomcast.producer;

import io.roomcast.event.RecordLayout;
import io.roomcast.room.RoomName;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A record of a room topic as the producer sees it: the room (the key; {@code null} when the
 * key is not a valid room name), the event type (the {@code type} header, {@code message} when
 * absent or invalid), the raw value and the record's place in the log. Records come from
 * strangers, so nothing here assumes they are well formed; both are read as broker-core's
 * {@link RecordLayout} defines them.
 */
public record RoomRecord(TopicPartition partition, long offset, RoomName room, String type, byte[] value, long timestamp) {

    public static RoomRecord of(ConsumerRecord<byte[], byte[]> record) {
        return new RoomRecord(new TopicPartition(record.topic(), record.partition()), record.offset(),
                RecordLayout.roomOf(record), RecordLayout.typeOf(record), record.value(), record.timestamp());
    }

    public GenerationId generationId() {
        return GenerationId.of(partition, offset);
    }
}
