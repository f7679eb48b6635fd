package io.roomcast.launcher;

import io.roomcast.edge.EdgeConfig;
import io.roomcast.edge.EdgeServer;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/** {@code roomcast edge}: one WebSocket edge against any Kafka cluster. */
@Command(name = "edge", mixinStandardHelpOptions = true, description = "Run one WebSocket edge against a Kafka cluster.")
final class EdgeCommand implements Callable<Integer> {
    @Option(names = "--kafka", defaultValue = "${env:ROOMCAST_KAFKA:-localhost:9092}", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE})")
    String kafka;

    @Option(names = "--port", defaultValue = "${env:ROOMCAST_PORT:-8080}", description = "HTTP/WebSocket port (default: ${DEFAULT-VALUE})")
    int port;

    @Mixin
    EdgeOptions options;

    @Mixin
    KafkaClientOptions kafkaClient;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        EdgeConfig config;
        try {
            config = options.toConfig(kafka, port, kafkaClient.properties());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Shutdown shutdown = new Shutdown();
        EdgeServer edge;
        try {
            edge = EdgeServer.start(config);
        } catch (KafkaException e) {
            // Kafka's clients refuse unusable settings (bootstrap servers, security) when they are created.
            String cause = e.getCause() == null ? "" : ": " + e.getCause().getMessage();
            throw new ParameterException(spec.commandLine(), e.getMessage() + cause, e);
        } catch (UncheckedIOException e) {
            throw new ParameterException(spec.commandLine(), e.getCause().getMessage(), e);
        }
        shutdown.started(() -> edge.shutdownGracefully(options.drainDelay.plusSeconds(5)));
        String management = edge.managementUrl().equals(edge.url()) ? "" : "; management " + edge.managementUrl();
        System.out.println("Roomcast edge: " + edge.url() + "  (WebSocket " + edge.wsUrl() + management + "). Ctrl-C drains and stops it.");
        return shutdown.await();
    }
}
