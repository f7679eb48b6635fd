package io.roomcast.shipper;

import io.roomcast.event.RecordLayout;
import io.roomcast.room.RoomName;
import io.roomcast.room.RoomPartitioner;
import io.roomcast.testkit.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.roomcast.shipper.ShipperFixture.append;
import static io.roomcast.shipper.ShipperFixture.numbered;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Another writer adds records to the shipper's room that carry its {@code host}, {@code src} and
 * {@code pos} headers, pointing past lines not shipped yet. With a position key the shipper
 * trusts only positions it signed: after a restart it continues from its own, and every line is
 * in the room exactly once.
 */
class ShipperForgedPositionIT {
    @TempDir
    Path dir;

    private final ShipperFixture fixture = new ShipperFixture(TestKafka.bootstrapServers());

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void shouldIgnorePositionsNotSignedWithItsKey() throws Exception {
        Path log = dir.resolve("app.log");
        append(log, numbered("line-", 1, 10));
        PositionKey key = new PositionKey("a secret of this shipper".getBytes(StandardCharsets.UTF_8));
        ShipperConfig config = fixture.config(List.of(SourceConfig.file(log.toString(), fixture.room)
                .withMultiline(MultilineRule.none())), ShipperFixture.fastSettings()).withPositionKey(key);
        fixture.start(config, null);
        ShippedRoom room = fixture.room();
        String src = room.awaitAtLeast(10, Duration.ofSeconds(30)).get(0).src();
        fixture.stopShippers();

        append(log, numbered("line-", 11, 20));
        long skipTo = Files.size(log) - "line-20\n".length(); // would skip lines 11 to 19
        forge(src, skipTo, null);
        forge(src, skipTo, "00".repeat(32));
        forge(src, skipTo, new PositionKey("another key of 24 bytes.".getBytes(StandardCharsets.UTF_8))
                .sign(RoomName.of(fixture.room).keyBytes(), "test-host", src, Long.toString(skipTo), null, null));

        fixture.start(config, null);
        room.awaitAtLeast(23, Duration.ofSeconds(30));
        fixture.stopShippers();

        List<ShippedRoom.Shipped> ours = room.readToEnd().stream().filter(r -> !r.line().startsWith("forged")).toList();
        assertThat(ours).extracting(ShippedRoom.Shipped::line).containsExactly(numbered("line-", 1, 20));
    }

    /** A record of another writer with the shipper's position headers. */
    private void forge(String src, long position, String signature) throws Exception {
        int partitions = fixture.partitions();
        RecordHeaders headers = new RecordHeaders();
        headers.add(ShipperHeaders.HOST, "test-host".getBytes(StandardCharsets.UTF_8));
        headers.add(ShipperHeaders.SOURCE, src.getBytes(StandardCharsets.UTF_8));
        headers.add(ShipperHeaders.POSITION, Long.toString(position).getBytes(StandardCharsets.UTF_8));
        if (signature != null) {
            headers.add(ShipperHeaders.SIGNATURE, signature.getBytes(StandardCharsets.UTF_8));
        }
        RoomName room = RoomName.of(fixture.room);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            byte[] value = LogRecordEvent.of("forged", new LogRecordEvent.Source("elsewhere", "test-host", 0L, null)).toJson();
            producer.send(RecordLayout.toRecord(fixture.topic, RoomPartitioner.partition(room, partitions), room,
                    LogRecordEvent.TYPE, value, null, headers)).get();
        }
    }
}
