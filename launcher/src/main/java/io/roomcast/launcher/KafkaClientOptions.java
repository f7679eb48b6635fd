package io.roomcast.launcher;

import io.roomcast.edge.KafkaClientProperties;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Kafka client settings for an edge against a cluster the operator runs (security, SASL, TLS). */
final class KafkaClientOptions {
    @Option(names = "--kafka-config", paramLabel = "FILE", defaultValue = "${env:ROOMCAST_KAFKA_CONFIG}",
            description = "Java properties file with Kafka client settings for every client of the edge (security.protocol, sasl.*, ssl.*)")
    Path kafkaConfig;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "one more Kafka client setting, repeatable; wins over --kafka-config (keep secrets in the file)")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    KafkaClientProperties properties() {
        return (kafkaConfig == null ? KafkaClientProperties.NONE : KafkaClientProperties.load(kafkaConfig)).with(kafkaProperties);
    }
}
