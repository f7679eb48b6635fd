package io.roomcast.launcher;

import io.roomcast.edge.EdgeServer;
import io.roomcast.edge.KafkaClientProperties;
import io.roomcast.kafka.embedded.EmbeddedKafka;
import io.roomcast.kafka.embedded.EmbeddedKafkaConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import io.roomcast.producer.ModelProducer;
import io.roomcast.producer.ModelProducerConfig;
import io.roomcast.shipper.LogShipper;
import io.roomcast.shipper.ShipperConfig;
import io.roomcast.shipper.SourceConfig;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code roomcast demo}: a complete local system on an embedded, real Kafka broker. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a complete local Roomcast: embedded Kafka (KRaft), an edge with the web UI, a simulated model answering prompts, and a log shipper for the demo's own logs.")
final class DemoCommand implements Callable<Integer> {
    static final String DEMO_LOG_ROOM = "logs:roomcast";

    @Option(names = "--port", defaultValue = "${env:ROOMCAST_PORT:-8080}", description = "edge HTTP/WebSocket port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--kafka-port", defaultValue = "${env:ROOMCAST_KAFKA_PORT:-9092}", description = "embedded Kafka's client port (default: ${DEFAULT-VALUE})")
    int kafkaPort;

    @Option(names = "--data", defaultValue = "${env:ROOMCAST_DATA:-data/demo}", description = "where Kafka keeps its data (default: ${DEFAULT-VALUE})")
    Path data;

    @Mixin
    EdgeOptions edgeOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try {
            // Checked before anything starts; the real configuration needs the broker's address.
            edgeOptions.toConfig("127.0.0.1:" + kafkaPort, port, KafkaClientProperties.NONE);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Shutdown shutdown = new Shutdown();
        EmbeddedKafka kafka = shutdown.started(EmbeddedKafka.start(
                new EmbeddedKafkaConfig("127.0.0.1", kafkaPort, data.toAbsolutePath().resolve("kafka"), 4, Map.of())));
        Path logFile = DemoLogFile.attach(data.toAbsolutePath().resolve("logs").resolve("roomcast.log"));
        EdgeServer edge;
        try {
            edge = EdgeServer.start(edgeOptions.toConfig(kafka.bootstrapServers(), port, KafkaClientProperties.NONE));
        } catch (UncheckedIOException e) {
            throw new ParameterException(spec.commandLine(), e.getCause().getMessage(), e); // Kafka stops with the JVM's shutdown
        }
        shutdown.started(() -> edge.shutdownGracefully(edgeOptions.drainDelay.plusSeconds(5)));
        shutdown.started(ModelProducer.start(ModelProducerConfig.builder(kafka.bootstrapServers()).partitions(4).build(), edge.meters()));
        shutdown.started(LogShipper.start(ShipperConfig.of(kafka.bootstrapServers(),
                List.of(SourceConfig.file(logFile.toString(), DEMO_LOG_ROOM))), edge.meters(), null));
        DemoWelcome.post(edge);
        System.out.println();
        System.out.println("Roomcast demo is running.");
        System.out.println("  apps       " + edge.url() + "/");
        System.out.println("  chat       " + edge.url() + "/chat?room=" + DemoWelcome.ROOM.value() + "   (@model asks the simulated model)");
        System.out.println("  logs       " + edge.url() + "/logs?room=" + DEMO_LOG_ROOM);
        System.out.println("  status     " + edge.url() + "/status");
        System.out.println("  WebSocket  " + edge.wsUrl());
        System.out.println("  metrics    " + edge.url() + "/metrics");
        System.out.println("  model      a simulated LLM answers every {\"op\":\"publish\",\"type\":\"prompt\",\"data\":{\"text\":\"...\"}} in chat:* rooms");
        System.out.println("  log file   " + logFile + " (shipped into " + DEMO_LOG_ROOM + ")");
        System.out.println("  Kafka      " + kafka.bootstrapServers() + "  (data in " + data.toAbsolutePath() + ")");
        System.out.println("Ctrl-C stops everything.");
        return shutdown.await();
    }
}
