package io.roomcast.launcher;

import io.roomcast.edge.EdgeServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    @Override
    public Integer call() throws Exception {
        Shutdown shutdown = new Shutdown();
        EdgeServer edge = EdgeServer.start(options.toConfig(kafka, port));
        shutdown.started(() -> edge.shutdownGracefully(options.drainDelay.plusSeconds(5)));
        System.out.println("Roomcast edge: " + edge.url() + "  (WebSocket " + edge.wsUrl() + "). Ctrl-C drains and stops it.");
        return shutdown.await();
    }
}
