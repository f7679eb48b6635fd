package io.roomcast.kafka.embedded;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of an {@link EmbeddedKafka}.
 *
 * @param host              the address the broker binds and advertises
 * @param port              the client port; 0 picks a free one at first start and keeps it
 * @param dataDir           where the log and metadata live; reused across restarts
 * @param defaultPartitions partitions of topics created without an explicit count
 * @param overrides         any further broker properties, applied last
 */
public record EmbeddedKafkaConfig(String host, int port, Path dataDir, int defaultPartitions,
                                  Map<String, String> overrides) {
    public EmbeddedKafkaConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (defaultPartitions < 1) {
            throw new IllegalArgumentException("defaultPartitions must be >= 1, was " + defaultPartitions);
        }
        overrides = Map.copyOf(overrides);
    }

    public static EmbeddedKafkaConfig of(int port, Path dataDir) {
        return new EmbeddedKafkaConfig("127.0.0.1", port, dataDir, 4, Map.of());
    }
}
