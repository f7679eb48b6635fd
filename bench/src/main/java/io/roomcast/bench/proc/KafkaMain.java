package io.roomcast.bench.proc;

import io.roomcast.kafka.embedded.EmbeddedKafka;
import io.roomcast.kafka.embedded.EmbeddedKafkaConfig;

import java.nio.file.Path;
import java.util.Map;

/**
 * A benchmark's Kafka broker in its own JVM, so its CPU time can be read apart from the edge's.
 * Arguments: DATA_DIR PARTITIONS [KEY=VALUE ...] (broker settings over the embedded defaults). Prints {@code READY host:port}; stops when standard input ends.
 */
public final class KafkaMain {
    private KafkaMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int partitions = Integer.parseInt(args[1]);
        Map<String, String> overrides = new java.util.LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            overrides.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        EmbeddedKafka kafka = EmbeddedKafka.start(new EmbeddedKafkaConfig("127.0.0.1", 0, dir, partitions, overrides));
        System.out.println("READY " + kafka.bootstrapServers());
        System.out.flush();
        try {
            ControlLoop.run(java.time.Duration.ofSeconds(10));
        } finally {
            kafka.close();
            System.exit(0);
        }
    }
}
