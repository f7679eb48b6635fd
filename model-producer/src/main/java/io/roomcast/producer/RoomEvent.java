package io.roomcast.producer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A record of a room topic as the producer sees it: the room (the key; {@code null} when the
 * key is missing or not UTF-8), the event type (the {@code type} header, {@code message} when
 * absent), the raw value and the record's place in the log. Records come from strangers, so
 * nothing here assumes they are well formed.
 */
public record RoomEvent(TopicPartition partition, long offset, String room, String type, byte[] value, long timestamp) {

    public static RoomEvent of(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(EventTypes.TYPE_HEADER);
        String type = header == null ? EventTypes.DEFAULT_TYPE : utf8(header.value());
        return new RoomEvent(new TopicPartition(record.topic(), record.partition()), record.offset(),
                utf8(record.key()), type == null ? "" : type, record.value(), record.timestamp());
    }

    public GenerationId generationId() {
        return GenerationId.of(partition, offset);
    }

    /** Strict UTF-8 decoding; {@code null} for a missing or malformed value. */
    static String utf8(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
