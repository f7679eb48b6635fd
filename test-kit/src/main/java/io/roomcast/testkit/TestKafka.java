package io.roomcast.testkit;

import io.roomcast.kafka.embedded.EmbeddedKafka;
import io.roomcast.kafka.embedded.EmbeddedKafkaConfig;
import io.roomcast.kafka.embedded.KafkaCluster;
import io.roomcast.kafka.embedded.KafkaClusterConfig;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Kafka broker of a test JVM: one per JVM, started on first use and shared by every test,
 * which isolate themselves by unique topic and room names ({@link TestNames}).
 *
 * <p>The system property {@code roomcast.test.kafka} chooses the broker: {@code embedded} (the
 * default) runs {@link EmbeddedKafka} in-process; {@code testcontainers} runs the
 * {@code apache/kafka} image through Testcontainers and needs a Docker engine.
 *
 * <p>Tests that stop and restart a broker must not touch the shared one: they use
 * {@link #startPrivate(Path)}.
 */
public final class TestKafka {
    public static final String MODE_PROPERTY = "roomcast.test.kafka";
    public static final String KAFKA_IMAGE = "apache/kafka:4.1.0";

    private static String bootstrap;

    private TestKafka() {
    }

    /** The shared broker's bootstrap servers, starting it on first call. */
    public static synchronized String bootstrapServers() {
        if (bootstrap == null) {
            bootstrap = switch (mode()) {
                case "embedded" -> startEmbedded();
                case "testcontainers" -> startContainer();
                default -> throw new IllegalStateException(MODE_PROPERTY + " must be embedded or testcontainers, was " + mode());
            };
        }
        return bootstrap;
    }

    /** A broker of the test's own, on a directory it may restart from; the caller closes it. */
    public static EmbeddedKafka startPrivate(Path dataDir) {
        return EmbeddedKafka.start(EmbeddedKafkaConfig.of(0, dataDir));
    }

    /**
     * A three-broker cluster of the test's own (child JVMs: RF 3, {@code min.insync.replicas} 2,
     * unclean leader election off), for tests that kill, restart or move brokers; the caller closes it.
     */
    public static KafkaCluster startCluster(Path dataDir) {
        return KafkaCluster.start(KafkaClusterConfig.of(3, dataDir));
    }

    private static String mode() {
        return System.getProperty(MODE_PROPERTY, "embedded");
    }

    private static String startEmbedded() {
        try {
            Path dir = Files.createTempDirectory("roomcast-test-kafka");
            EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.of(0, dir));
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "test-kafka-stop"));
            return kafka.bootstrapServers();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' Ryuk when the JVM exits
    private static String startContainer() {
        KafkaContainer container = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE));
        container.start();
        return container.getBootstrapServers();
    }
}
