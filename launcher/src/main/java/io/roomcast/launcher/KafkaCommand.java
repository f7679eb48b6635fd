package io.roomcast.launcher;

import io.roomcast.kafka.embedded.EmbeddedKafka;
import io.roomcast.kafka.embedded.EmbeddedKafkaConfig;
import io.roomcast.kafka.embedded.KafkaCluster;
import io.roomcast.kafka.embedded.KafkaClusterConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code roomcast kafka}: a real Kafka on this machine, no Docker. One broker runs in this
 * process; {@code --brokers 3} runs a replicated cluster of child JVMs (RF 3, min ISR 2).
 */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = "Run a real Apache Kafka (KRaft): one broker in this process, or --brokers N child processes.")
final class KafkaCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "${env:ROOMCAST_KAFKA_PORT:-9092}",
            description = "client port; with --brokers N, node n listens on port+n-1 (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "${env:ROOMCAST_KAFKA_HOST:-127.0.0.1}", description = "address to bind and advertise (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--data", defaultValue = "${env:ROOMCAST_KAFKA_DATA:-data/kafka}", description = "data directory, kept across restarts (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--partitions", defaultValue = "4", description = "default partitions of new topics (default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--brokers", defaultValue = "1",
            description = "1 = a single broker in this process; 2..9 = a cluster of child JVMs with replication factor min(3, N) "
                    + "and min.insync.replicas 2 at RF 3 (default: ${DEFAULT-VALUE})")
    int brokers;

    @Option(names = "--restart-nodes", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "with --brokers N: start a node whose process exited again, after 5 s (longer while it keeps "
                    + "exiting); --no-restart-nodes leaves it down, for fault drills (default: ${DEFAULT-VALUE})")
    boolean restartNodes;

    @Override
    public Integer call() throws Exception {
        if (brokers < 1 || brokers > 9) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--brokers must be 1..9, was " + brokers);
        }
        EmbeddedKafkaConfig single;
        KafkaClusterConfig cluster;
        try {
            single = brokers == 1 ? new EmbeddedKafkaConfig(host, port, data.toAbsolutePath(), partitions, Map.of()) : null;
            cluster = brokers == 1 ? null : new KafkaClusterConfig(host, port, data.toAbsolutePath(), brokers, partitions,
                    KafkaClusterConfig.DEFAULT_JVM_OPTIONS, Map.of());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Shutdown shutdown = new Shutdown();
        if (single != null) {
            EmbeddedKafka kafka = shutdown.started(EmbeddedKafka.start(single));
            System.out.println("Kafka is running at " + kafka.bootstrapServers() + " (data in " + data.toAbsolutePath() + "). Ctrl-C stops it.");
        } else {
            KafkaCluster running = shutdown.started(KafkaCluster.start(cluster));
            if (restartNodes) {
                // registered after the cluster, so stopped before it: nothing is started again during the shutdown
                shutdown.started(new NodeSupervisor(nodes(running), System::nanoTime, System.out::println).start());
            }
            System.out.println("Kafka cluster of " + brokers + " brokers is running at " + running.bootstrapServers()
                    + " (replication factor " + running.config().replicationFactor() + ", min.insync.replicas "
                    + running.config().minInsyncReplicas() + ", data in " + data.toAbsolutePath() + "). Ctrl-C stops it.");
        }
        return shutdown.await();
    }

    private static NodeSupervisor.Nodes nodes(KafkaCluster cluster) {
        return new NodeSupervisor.Nodes() {
            @Override
            public Set<Integer> nodeIds() {
                return cluster.nodeIds();
            }

            @Override
            public boolean isRunning(int id) {
                return cluster.isRunning(id);
            }

            @Override
            public boolean relaunch(int id) {
                return cluster.relaunch(id);
            }

            @Override
            public Path logFile(int id) {
                return cluster.logFile(id);
            }
        };
    }
}
