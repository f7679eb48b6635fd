package io.roomcast.event;

import io.roomcast.room.RoomName;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The fixed mapping between room events and Kafka records: key = room name (UTF-8), value = the
 * event's data, header {@code type} (absent means {@code message}), optional header {@code id},
 * record timestamp = event time.
 */
public final class RecordLayout {
    public static final String TYPE_HEADER = "type";
    public static final String ID_HEADER = "id";
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern EVENT_ID = Pattern.compile("[\\x21-\\x7e]{1,128}");

    private RecordLayout() {
    }

    public static boolean isValidType(String type) {
        return type != null && TYPE.matcher(type).matches();
    }

    public static boolean isValidEventId(String id) {
        return id != null && EVENT_ID.matcher(id).matches();
    }

    public static ProducerRecord<byte[], byte[]> toRecord(String topic, RoomName room, String type, byte[] data, String eventId) {
        return toRecord(topic, null, room, type, data, eventId, List.of());
    }

    /**
     * As {@link #toRecord(String, RoomName, String, byte[], String)}, into {@code partition} (null:
     * Kafka's partitioner chooses, as for every other writer) and with {@code extraHeaders} after
     * {@code type} and {@code id}, for writers that keep state of their own in headers.
     */
    public static ProducerRecord<byte[], byte[]> toRecord(String topic, Integer partition, RoomName room, String type, byte[] data,
                                                          String eventId, Iterable<Header> extraHeaders) {
        RecordHeaders headers = new RecordHeaders();
        if (type != null && !RoomEvent.DEFAULT_TYPE.equals(type)) {
            headers.add(TYPE_HEADER, type.getBytes(StandardCharsets.UTF_8));
        }
        if (eventId != null) {
            headers.add(ID_HEADER, eventId.getBytes(StandardCharsets.UTF_8));
        }
        extraHeaders.forEach(headers::add);
        return new ProducerRecord<>(topic, partition, null, room.keyBytes(), data, headers);
    }

    /**
     * The room of a record, or null when its key is not a valid room name (records written by
     * strangers may have any key, or none; such records belong to no room and are skipped).
     */
    public static RoomName roomOf(ConsumerRecord<byte[], byte[]> record) {
        byte[] key = record.key();
        if (key == null || key.length == 0 || key.length > RoomName.MAX_LENGTH) {
            return null;
        }
        String name = new String(key, StandardCharsets.UTF_8);
        return RoomName.isValid(name) ? new RoomName(name) : null;
    }

    /** The event type of a record: its {@code type} header, or {@code message} when absent or invalid. */
    public static String typeOf(ConsumerRecord<byte[], byte[]> record) {
        String type = header(record.headers().lastHeader(TYPE_HEADER));
        return type != null && isValidType(type) ? type : RoomEvent.DEFAULT_TYPE;
    }

    /** The event of a record whose room is already known. */
    public static RoomEvent toEvent(RoomName room, ConsumerRecord<byte[], byte[]> record) {
        String type = typeOf(record);
        String id = header(record.headers().lastHeader(ID_HEADER));
        if (id != null && !isValidEventId(id)) {
            id = null;
        }
        return new RoomEvent(room, record.offset(), type, record.timestamp(), record.value(), id);
    }

    private static String header(Header h) {
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
