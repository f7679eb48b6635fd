package io.roomcast.kafka.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The main class of one {@link KafkaCluster} node's JVM: runs a KRaft server from an already
 * formatted {@code server.properties}. A separate process, so that a test can kill it with
 * SIGKILL like a crashed machine. It stops on SIGTERM (controlled shutdown) and when its
 * parent goes away (its standard input closes), so no broker outlives the process that started it.
 */
public final class KafkaNodeMain {
    private KafkaNodeMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: KafkaNodeMain <server.properties>");
            System.exit(2);
        }
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
            props.load(r);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "kafka-node-stop"));
        server.startup();
        Thread parentWatch = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // the parent never writes; end of stream means it is gone
                }
            } catch (IOException ignored) {
                // same as end of stream
            }
            System.exit(0);
        }, "kafka-node-parent-watch");
        parentWatch.setDaemon(true);
        parentWatch.start();
        server.awaitShutdown();
    }
}
