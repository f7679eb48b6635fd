package io.roomcast.shipper;

import io.roomcast.room.RoomName;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Finds where shipping stands by reading the room's partition backwards: the latest record (by
 * offset) of this host for each input carries the position after it in its headers. Reads
 * windows from the end towards the beginning and stops as soon as every wanted input is found,
 * so a restart reads little unless an input was never shipped (then the whole retained
 * partition is read once). With a {@link PositionKey}, only records whose signature verifies
 * count. Used by the shipper thread, one call at a time.
 */
final class PositionRecovery {
    private static final int FIRST_WINDOW = 1_000;
    private static final int MAX_WINDOW = 200_000;

    private final ShipperConfig config;

    PositionRecovery(ShipperConfig config) {
        this.config = config;
    }

    /**
     * The shipped positions of {@code wanted} inputs of {@code room} in {@code partition}.
     *
     * @throws TimeoutException if Kafka makes no progress for {@code timeout}, or {@code running} turns false
     */
    Map<FileIdentity, ShippedPosition> recover(TopicPartition partition, RoomName room, Set<FileIdentity> wanted,
                                                Duration timeout, BooleanSupplier running) throws TimeoutException {
        if (wanted.isEmpty()) {
            return Map.of();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] key = room.keyBytes();
        byte[] host = config.host().getBytes(StandardCharsets.UTF_8);
        Map<FileIdentity, ShippedPosition> found = new HashMap<>();
        Set<FileIdentity> remaining = new HashSet<>(wanted);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            long begin;
            long end;
            try {
                begin = consumer.beginningOffsets(List.of(partition), timeout).get(partition);
                end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                throw new TimeoutException("Kafka did not return the offsets of " + partition);
            }
            long windowEnd = end;
            int window = FIRST_WINDOW;
            while (windowEnd > begin && !remaining.isEmpty()) {
                long from = Math.max(begin, windowEnd - window);
                Map<FileIdentity, ShippedPosition> latest = new HashMap<>();
                consumer.seek(partition, from);
                while (consumer.position(partition, timeout) < windowEnd) {
                    if (System.nanoTime() > deadline || !running.getAsBoolean()) {
                        throw new TimeoutException("reading " + partition + " back made no progress for " + timeout);
                    }
                    List<ConsumerRecord<byte[], byte[]>> records = consumer.poll(Duration.ofMillis(200)).records(partition);
                    if (!records.isEmpty()) {
                        deadline = System.nanoTime() + timeout.toNanos(); // a long partition is slow, not stuck
                    }
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        if (r.offset() >= windowEnd) {
                            break;
                        }
                        ShippedRecord shipped = ShippedRecord.of(r, key, host, config.positionKey());
                        if (shipped != null && remaining.contains(shipped.identity())) {
                            latest.put(shipped.identity(), shipped.position());
                        }
                    }
                }
                latest.forEach(found::putIfAbsent);
                remaining.removeAll(latest.keySet());
                windowEnd = from;
                window = Math.min(window * 4, MAX_WINDOW);
            }
        }
        return found;
    }

    private Map<String, Object> properties() {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "roomcast-shipper-recovery-" + config.host());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        // Our own records are not transactional; read_committed would hide them behind another producer's open transaction.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        config.kafkaProperties().forEach((k, v) -> {
            if (ConsumerConfig.configNames().contains(k) && !k.equals(ConsumerConfig.CLIENT_ID_CONFIG)) {
                p.put(k, v);
            }
        });
        return p;
    }

    /** A record of ours and the position it carries. */
    private record ShippedRecord(FileIdentity identity, ShippedPosition position) {
        static ShippedRecord of(ConsumerRecord<byte[], byte[]> r, byte[] key, byte[] host, PositionKey positionKey) {
            if (!Arrays.equals(r.key(), key) || !Arrays.equals(value(r, ShipperHeaders.HOST), host)) {
                return null;
            }
            String src = text(r, ShipperHeaders.SOURCE);
            String pos = text(r, ShipperHeaders.POSITION);
            if (src == null || src.isEmpty() || pos == null) {
                return null;
            }
            if (positionKey != null && !positionKey.verifies(text(r, ShipperHeaders.SIGNATURE), key,
                    new String(host, StandardCharsets.UTF_8), src, pos, text(r, ShipperHeaders.LINE_NO), text(r, ShipperHeaders.HEAD))) {
                return null; // not signed with our key: another writer's, whatever headers it carries
            }
            try {
                long position = Long.parseLong(pos);
                String ln = text(r, ShipperHeaders.LINE_NO);
                long lineNo = ln == null ? 0 : Long.parseLong(ln);
                if (position < 0 || lineNo < 0) {
                    return null;
                }
                String headText = text(r, ShipperHeaders.HEAD);
                HeadFingerprint head = HeadFingerprint.parse(headText);
                if (headText != null && head == null) {
                    return null; // a malformed fingerprint is no shipper's; read as absent it would let the pos skip lines
                }
                return new ShippedRecord(new FileIdentity(src), new ShippedPosition(position, lineNo, head, r.offset()));
            } catch (NumberFormatException e) {
                return null; // written by a stranger into our room; not ours to trust
            }
        }

        private static byte[] value(ConsumerRecord<byte[], byte[]> r, String name) {
            Header h = r.headers().lastHeader(name);
            return h == null ? null : h.value();
        }

        private static String text(ConsumerRecord<byte[], byte[]> r, String name) {
            byte[] v = value(r, name);
            return v == null ? null : new String(v, StandardCharsets.UTF_8);
        }
    }
}
