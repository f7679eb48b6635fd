package io.roomcast.event;

import io.roomcast.room.RoomName;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RecordLayoutTest {

    private static ConsumerRecord<byte[], byte[]> record(byte[] key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>("t", 0, 7, 1234L, TimestampType.CREATE_TIME, -1, -1, key, value, headers, Optional.empty());
    }

    @Test
    void shouldRoundTripTypeIdAndData() {
        var produced = RecordLayout.toRecord("t", RoomName.of("chat:x"), "token", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), "e-1");
        var consumed = record(produced.key(), produced.value(), (RecordHeaders) produced.headers());

        RoomEvent event = RecordLayout.toEvent(RecordLayout.roomOf(consumed), consumed);

        assertThat(event.room().value()).isEqualTo("chat:x");
        assertThat(event.offset()).isEqualTo(7);
        assertThat(event.type()).isEqualTo("token");
        assertThat(event.eventId()).isEqualTo("e-1");
        assertThat(event.timestamp()).isEqualTo(1234L);
        assertThat(new String(event.data(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    }

    @Test
    void shouldDefaultTheTypeAndOmitTheHeaderForMessages() {
        var produced = RecordLayout.toRecord("t", RoomName.of("chat:x"), "message", new byte[0], null);
        assertThat(produced.headers().toArray()).isEmpty();
        var consumed = record(produced.key(), null, new RecordHeaders());
        RoomEvent event = RecordLayout.toEvent(RoomName.of("chat:x"), consumed);
        assertThat(event.type()).isEqualTo("message");
        assertThat(event.data()).isEmpty();
    }

    @Test
    void shouldIgnoreStrangersGarbageKeysAndHeaders() {
        assertThat(RecordLayout.roomOf(record(null, null, new RecordHeaders()))).isNull();
        assertThat(RecordLayout.roomOf(record(new byte[]{(byte) 0xff, 0}, null, new RecordHeaders()))).isNull();
        assertThat(RecordLayout.roomOf(record("has space".getBytes(StandardCharsets.UTF_8), null, new RecordHeaders()))).isNull();
        assertThat(RecordLayout.roomOf(record("x".repeat(300).getBytes(StandardCharsets.UTF_8), null, new RecordHeaders()))).isNull();

        RecordHeaders garbage = new RecordHeaders();
        garbage.add("type", new byte[]{(byte) 0xc3, 0x28});
        garbage.add("id", "with space".getBytes(StandardCharsets.UTF_8));
        RoomEvent event = RecordLayout.toEvent(RoomName.of("chat:x"), record("chat:x".getBytes(StandardCharsets.UTF_8), new byte[]{1, 2}, garbage));
        assertThat(event.type()).isEqualTo("message");
        assertThat(event.eventId()).isNull();
    }

    @Test
    void shouldWriteIntoAFixedPartitionWithExtraHeadersAfterTypeAndId() {
        RecordHeaders extra = new RecordHeaders();
        extra.add("pos", "42".getBytes(StandardCharsets.UTF_8));
        extra.add("src", "1:2".getBytes(StandardCharsets.UTF_8));

        var produced = RecordLayout.toRecord("t", 3, RoomName.of("logs:api"), "log", new byte[]{1}, "e-2", extra);

        assertThat(produced.partition()).isEqualTo(3);
        assertThat(produced.timestamp()).isNull();
        assertThat(produced.key()).isEqualTo("logs:api".getBytes(StandardCharsets.UTF_8));
        assertThat(produced.headers().toArray()).extracting(h -> h.key()).containsExactly("type", "id", "pos", "src");
        var consumed = record(produced.key(), produced.value(), (RecordHeaders) produced.headers());
        assertThat(RecordLayout.toEvent(RoomName.of("logs:api"), consumed).type()).isEqualTo("log");
        assertThat(new String(consumed.headers().lastHeader("pos").value(), StandardCharsets.UTF_8)).isEqualTo("42");
    }

    @Test
    void shouldLeaveThePartitionToKafkaAndOmitTheTypeOfMessagesWithExtraHeaders() {
        RecordHeaders extra = new RecordHeaders();
        extra.add("pos", "7".getBytes(StandardCharsets.UTF_8));

        var produced = RecordLayout.toRecord("t", null, RoomName.of("chat:x"), "message", new byte[0], null, extra);

        assertThat(produced.partition()).isNull();
        assertThat(produced.headers().toArray()).extracting(h -> h.key()).containsExactly("pos");
    }

    @Test
    void shouldReadTheTypeOfARecordDefaultingToMessage() {
        RecordHeaders prompt = new RecordHeaders();
        prompt.add("type", "prompt".getBytes(StandardCharsets.UTF_8));
        RecordHeaders garbage = new RecordHeaders();
        garbage.add("type", new byte[]{(byte) 0xc3, 0x28});

        assertThat(RecordLayout.typeOf(record(null, null, prompt))).isEqualTo("prompt");
        assertThat(RecordLayout.typeOf(record(null, null, new RecordHeaders()))).isEqualTo("message");
        assertThat(RecordLayout.typeOf(record(null, null, garbage))).isEqualTo("message");
    }
}
