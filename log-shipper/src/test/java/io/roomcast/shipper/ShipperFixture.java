package io.roomcast.shipper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roomcast.testkit.TestNames;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Test helper: shippers with short timings against a broker, and log files to feed them. */
final class ShipperFixture implements AutoCloseable {
    final String bootstrap;
    final String room = "logs:" + TestNames.unique("room");
    final String topic = TestNames.unique("shipper");
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<LogShipper> shippers = new ArrayList<>();
    private final List<ShippedRoom> readers = new ArrayList<>();

    ShipperFixture(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    static ShipperSettings fastSettings() {
        return ShipperSettings.defaults()
                .withPollInterval(Duration.ofMillis(20))
                .withScanInterval(Duration.ofMillis(100))
                .withRotateWait(Duration.ofMillis(300))
                .withTimeouts(Duration.ofMillis(300), Duration.ofMillis(200));
    }

    ShipperConfig config(List<SourceConfig> sources, ShipperSettings settings) {
        return new ShipperConfig(bootstrap, "test-host", sources.stream().map(s -> s.withTopic(topic)).toList(),
                TopicLayout.defaults(), settings, Map.of(), ZoneOffset.UTC);
    }

    LogShipper start(SourceConfig... sources) {
        return start(config(List.of(sources), fastSettings()), null);
    }

    LogShipper start(ShipperConfig config, InputStream stdin) {
        LogShipper shipper = LogShipper.start(config, registry, stdin);
        shippers.add(shipper);
        return shipper;
    }

    ShippedRoom room() {
        ShippedRoom reader = new ShippedRoom(bootstrap, topic, room);
        readers.add(reader);
        return reader;
    }

    /** The partition count of the fixture's topic (created by the shipper). */
    int partitions() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return consumer.partitionsFor(topic).size();
        }
    }

    double count(String meter) {
        var counter = registry.find(meter).counter();
        return counter == null ? 0 : counter.count();
    }

    static void append(Path file, String... lines) {
        StringBuilder b = new StringBuilder();
        for (String line : lines) {
            b.append(line).append('\n');
        }
        appendRaw(file, b.toString().getBytes(StandardCharsets.UTF_8));
    }

    static void appendRaw(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String[] numbered(String prefix, int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> prefix + i).toArray(String[]::new);
    }

    /** Stops every shipper started so far (their in-flight records are acknowledged or abandoned). */
    void stopShippers() {
        shippers.forEach(LogShipper::close);
    }

    @Override
    public void close() {
        stopShippers();
        readers.forEach(ShippedRoom::close);
    }
}
