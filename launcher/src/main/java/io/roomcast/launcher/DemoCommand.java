package io.roomcast.launcher;

import io.roomcast.edge.EdgeServer;
import io.roomcast.kafka.embedded.EmbeddedKafka;
import io.roomcast.kafka.embedded.EmbeddedKafkaConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code roomcast demo}: a complete local system on an embedded, real Kafka broker. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a complete local Roomcast: embedded Kafka (KRaft) and an edge with the web UI.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "${env:ROOMCAST_PORT:-8080}", description = "edge HTTP/WebSocket port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--kafka-port", defaultValue = "${env:ROOMCAST_KAFKA_PORT:-9092}", description = "embedded Kafka's client port (default: ${DEFAULT-VALUE})")
    int kafkaPort;

    @Option(names = "--data", defaultValue = "${env:ROOMCAST_DATA:-data/demo}", description = "where Kafka keeps its data (default: ${DEFAULT-VALUE})")
    Path data;

    @Mixin
    EdgeOptions edgeOptions;

    @Override
    public Integer call() throws Exception {
        Shutdown shutdown = new Shutdown();
        EmbeddedKafka kafka = shutdown.started(EmbeddedKafka.start(
                new EmbeddedKafkaConfig("127.0.0.1", kafkaPort, data.toAbsolutePath().resolve("kafka"), 4, Map.of())));
        EdgeServer edge = EdgeServer.start(edgeOptions.toConfig(kafka.bootstrapServers(), port));
        shutdown.started(() -> edge.shutdownGracefully(edgeOptions.drainDelay.plusSeconds(5)));
        System.out.println();
        System.out.println("Roomcast demo is running.");
        System.out.println("  web UI     " + edge.url() + "/");
        System.out.println("  WebSocket  " + edge.wsUrl());
        System.out.println("  metrics    " + edge.url() + "/metrics");
        System.out.println("  Kafka      " + kafka.bootstrapServers() + "  (data in " + data.toAbsolutePath() + ")");
        System.out.println("Ctrl-C stops everything.");
        return shutdown.await();
    }
}
