package io.roomcast.bench.fuzz;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Semaphore;

/**
 * Writes records the way a stranger with a plain {@link KafkaProducer} could into a room topic:
 * bad keys (none, empty, invalid UTF-8, too long, bad characters), bad values (not JSON, invalid
 * UTF-8, empty, tombstones, deep nesting, huge numbers, large, unpaired surrogates, JSON in UTF-16
 * or UTF-32), and bad headers (invalid UTF-8
 * or huge {@code type}, duplicate and garbage {@code id}, many headers). A share goes into the
 * watched room, so that its subscribers meet them live and in replays.
 */
public final class RecordFuzzer implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final String watchedRoom;
    private final Random random;
    private final Semaphore inFlight = new Semaphore(1000);

    public RecordFuzzer(String bootstrap, String topic, String watchedRoom, long seed) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024), new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.watchedRoom = watchedRoom;
        this.random = new Random(seed);
    }

    /** Writes {@code count} records; rejections by Kafka are tallied as {@code kafka-rejected:...} failures of the stranger, not of the edge. */
    public void run(long count, FuzzTally tally) throws InterruptedException {
        for (long i = 0; i < count; i++) {
            RecordHeaders headers = headers();
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, null, key(), value(), headers);
            inFlight.acquire();
            producer.send(record, (meta, error) -> {
                inFlight.release();
                if (error != null) {
                    tally.sent("record-rejected-by-kafka:" + error.getClass().getSimpleName(), 1);
                }
            });
            tally.sent("record", 1);
        }
        producer.flush();
    }

    private byte[] key() {
        int roll = random.nextInt(100);
        if (roll < 40) {
            return utf8(watchedRoom);
        } else if (roll < 50) {
            return null;
        } else if (roll < 55) {
            return new byte[0];
        } else if (roll < 70) {
            byte[] b = new byte[1 + random.nextInt(40)];
            random.nextBytes(b);
            return b;
        } else if (roll < 75) {
            return utf8("chat:" + "r".repeat(300));
        } else if (roll < 80) {
            return utf8("chat:bad room\u0000\"<>");
        }
        return utf8("chat:stranger-" + random.nextInt(20));
    }

    private byte[] value() {
        int roll = random.nextInt(1000);
        if (roll < 300) {
            return utf8("{\"n\":" + random.nextInt() + ",\"text\":\"ok\"}");
        } else if (roll < 400) {
            return utf8("not json at all " + random.nextInt());
        } else if (roll < 500) {
            return new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'};
        } else if (roll < 550) {
            return new byte[0];
        } else if (roll < 600) {
            return null;
        } else if (roll < 700) {
            int depth = new int[] {63, 64, 65, 1000, 5000}[random.nextInt(5)];
            return utf8("[".repeat(depth) + "]".repeat(depth));
        } else if (roll < 800) {
            return utf8("{\"n\":" + "9".repeat(1 + random.nextInt(5000)) + ",\"f\":1e99999}");
        } else if (roll < 801) {
            return utf8("{\"big\":\"" + "x".repeat(100_000 + random.nextInt(800_000)) + "\"}");
        } else if (roll < 880) {
            return utf8("{\"s\":\"\\ud800\\u0000\\uffff\"}");
        } else if (roll < 900) {
            return utf8("{\"\\udc00\":1}"); // an unpaired surrogate in a name, which Jackson refuses to read
        } else if (roll < 920) {
            // JSON, but in UTF-16 or UTF-32, which Jackson guesses from the zero bytes: not JSON in a UTF-8 frame
            String json = "{\"n\":" + random.nextInt(1000) + "}";
            return json.getBytes(new Charset[] {StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE, Charset.forName("UTF-32BE")}
                    [random.nextInt(3)]);
        }
        byte[] b = new byte[random.nextInt(200)];
        random.nextBytes(b);
        return b;
    }

    private RecordHeaders headers() {
        RecordHeaders h = new RecordHeaders();
        switch (random.nextInt(10)) {
            case 0 -> h.add("type", new byte[] {(byte) 0xFF, (byte) 0xFE});
            case 1 -> h.add("type", new byte[0]);
            case 2 -> h.add("type", utf8("t".repeat(10_000)));
            case 3 -> {
                h.add("type", utf8("token"));
                h.add("type", utf8("generation.done"));
            }
            case 4 -> {
                h.add("id", new byte[] {(byte) 0xC0});
                h.add("id", utf8("dup"));
            }
            case 5 -> {
                for (int i = 0; i < 100; i++) {
                    h.add("h" + i, new byte[random.nextInt(50)]);
                }
            }
            case 6 -> h.add("type", null);
            default -> {
            }
        }
        return h;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
    }
}
