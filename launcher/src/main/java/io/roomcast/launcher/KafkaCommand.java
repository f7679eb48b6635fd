package io.roomcast.launcher;

import io.roomcast.kafka.embedded.EmbeddedKafka;
import io.roomcast.kafka.embedded.EmbeddedKafkaConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code roomcast kafka}: the embedded single-node Kafka broker alone. */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = "Run a real single-node Apache Kafka broker (KRaft) in this process.")
final class KafkaCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "${env:ROOMCAST_KAFKA_PORT:-9092}", description = "client port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "${env:ROOMCAST_KAFKA_HOST:-127.0.0.1}", description = "address to bind and advertise (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--data", defaultValue = "${env:ROOMCAST_KAFKA_DATA:-data/kafka}", description = "data directory, kept across restarts (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--partitions", defaultValue = "4", description = "default partitions of new topics (default: ${DEFAULT-VALUE})")
    int partitions;

    @Override
    public Integer call() throws Exception {
        Shutdown shutdown = new Shutdown();
        EmbeddedKafka kafka = shutdown.started(EmbeddedKafka.start(
                new EmbeddedKafkaConfig(host, port, data.toAbsolutePath(), partitions, java.util.Map.of())));
        System.out.println("Kafka is running at " + kafka.bootstrapServers() + " (data in " + data.toAbsolutePath() + "). Ctrl-C stops it.");
        return shutdown.await();
    }
}
