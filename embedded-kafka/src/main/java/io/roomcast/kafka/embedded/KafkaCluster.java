package io.roomcast.kafka.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * A real multi-node Apache Kafka cluster in KRaft mode on this machine, no Docker: every node is
 * a combined broker and controller running in a child JVM from Kafka's own jars (the classpath of
 * this JVM). Topics default to replication factor 3, {@code min.insync.replicas} 2, and unclean
 * leader election is off, as in production.
 *
 * <p>Nodes are separate processes so that a test can {@link #kill} one with SIGKILL (a crash: no
 * controlled shutdown, no flush) and {@link #start(int)} it again on the same data directory.
 * Ports and the cluster id are chosen at first start and kept in the data directory.
 *
 * <p>Thread-safety: the node operations are synchronized; they block until the node is gone or
 * serving, so call them from a test or launcher thread.
 */
public final class KafkaCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaCluster.class);
    private static final String STATE_FILE = "roomcast-cluster.properties";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaClusterConfig config;
    private final Map<Integer, NodeAddress> addresses;
    private final Map<Integer, Process> processes = new TreeMap<>();
    private Admin admin;
    private boolean closed;

    /** Where one node listens. */
    public record NodeAddress(int id, int brokerPort, int controllerPort) {
    }

    private KafkaCluster(KafkaClusterConfig config, Map<Integer, NodeAddress> addresses) {
        this.config = config;
        this.addresses = addresses;
    }

    /** Formats the node directories if needed, starts every node and returns once all brokers serve. */
    public static KafkaCluster start(KafkaClusterConfig config) {
        try {
            Files.createDirectories(config.dataDir());
            Properties state = loadState(config);
            Map<Integer, NodeAddress> addresses = new TreeMap<>();
            for (int id = 1; id <= config.nodes(); id++) {
                int broker = config.firstPort() != 0 ? config.firstPort() + id - 1
                        : Integer.parseInt(state.getProperty("node." + id + ".broker.port", Integer.toString(FreePort.find())));
                int controller = Integer.parseInt(state.getProperty("node." + id + ".controller.port", Integer.toString(FreePort.find())));
                state.setProperty("node." + id + ".broker.port", Integer.toString(broker));
                state.setProperty("node." + id + ".controller.port", Integer.toString(controller));
                addresses.put(id, new NodeAddress(id, broker, controller));
            }
            String clusterId = state.getProperty("cluster.id", Uuid.randomUuid().toString());
            state.setProperty("cluster.id", clusterId);
            try (Writer w = Files.newBufferedWriter(config.dataDir().resolve(STATE_FILE), StandardCharsets.UTF_8)) {
                state.store(w, "cluster id and ports of this Kafka cluster; the KRaft voter set records the controller ports");
            }
            KafkaCluster cluster = new KafkaCluster(config, addresses);
            for (int id : addresses.keySet()) {
                cluster.prepare(id, clusterId);
            }
            try {
                for (int id : addresses.keySet()) {
                    cluster.launch(id);
                }
                cluster.awaitBrokers(addresses.keySet(), START_TIMEOUT);
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            log.atInfo().addKeyValue("bootstrap", cluster.bootstrapServers()).addKeyValue("nodes", config.nodes())
                    .addKeyValue("dataDir", config.dataDir()).log("Kafka cluster started");
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka cluster directory " + config.dataDir(), e);
        }
    }

    private static Properties loadState(KafkaClusterConfig config) throws IOException {
        Properties state = new Properties();
        Path file = config.dataDir().resolve(STATE_FILE);
        if (Files.exists(file)) {
            try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                state.load(in);
            }
        }
        return state;
    }

    private Path nodeDir(int id) {
        return config.dataDir().resolve("node-" + id);
    }

    private Path propsFile(int id) {
        return nodeDir(id).resolve("server.properties");
    }

    /** The node's log file: its JVM's standard output and error. */
    public Path logFile(int id) {
        return nodeDir(id).resolve("node.log");
    }

    private void prepare(int id, String clusterId) throws IOException {
        Files.createDirectories(nodeDir(id));
        Path logDir = nodeDir(id).resolve("log");
        try (Writer w = Files.newBufferedWriter(propsFile(id), StandardCharsets.UTF_8)) {
            serverProperties(id, logDir).store(w, "written by Roomcast's Kafka cluster");
        }
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            StorageFormat.format(propsFile(id), clusterId, false);
        }
    }

    private Properties serverProperties(int id, Path logDir) {
        NodeAddress a = addresses.get(id);
        String host = config.host();
        String voters = addresses.values().stream().map(n -> n.id() + "@" + host + ":" + n.controllerPort())
                .collect(Collectors.joining(","));
        String rf = Integer.toString(config.replicationFactor());
        String minIsr = Integer.toString(config.minInsyncReplicas());
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(id));
        p.setProperty("controller.quorum.voters", voters);
        p.setProperty("listeners", "PLAINTEXT://" + host + ":" + a.brokerPort() + ",CONTROLLER://" + host + ":" + a.controllerPort());
        p.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + a.brokerPort());
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("num.partitions", Integer.toString(config.defaultPartitions()));
        p.setProperty("default.replication.factor", rf);
        p.setProperty("min.insync.replicas", minIsr);
        // An out-of-sync replica never becomes leader: that would silently drop acknowledged writes.
        p.setProperty("unclean.leader.election.enable", "false");
        p.setProperty("offsets.topic.replication.factor", rf);
        p.setProperty("offsets.topic.num.partitions", "4");
        p.setProperty("transaction.state.log.replication.factor", rf);
        p.setProperty("transaction.state.log.min.isr", minIsr);
        p.setProperty("transaction.state.log.num.partitions", "4");
        p.setProperty("share.coordinator.state.topic.replication.factor", rf);
        p.setProperty("share.coordinator.state.topic.min.isr", minIsr);
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("log.retention.check.interval.ms", "10000");
        // A crashed broker is fenced after 4 s instead of 9 s, so its partitions get new leaders sooner.
        p.setProperty("broker.heartbeat.interval.ms", "1000");
        p.setProperty("broker.session.timeout.ms", "4000");
        p.putAll(config.overrides());
        return p;
    }

    private void launch(int id) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(config.jvmOptions());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(KafkaNodeMain.class.getName());
        cmd.add(propsFile(id).toString());
        Process process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(id).toFile()))
                .start();
        processes.put(id, process);
        log.atInfo().addKeyValue("node", id).addKeyValue("pid", process.pid()).log("Kafka node started");
    }

    /** Every node's client address, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return addresses.values().stream().map(a -> config.host() + ":" + a.brokerPort()).collect(Collectors.joining(","));
    }

    public KafkaClusterConfig config() {
        return config;
    }

    public Set<Integer> nodeIds() {
        return addresses.keySet();
    }

    public NodeAddress address(int id) {
        return addresses.get(id);
    }

    public synchronized boolean isRunning(int id) {
        Process p = processes.get(id);
        return p != null && p.isAlive();
    }

    /** The node's process id, or -1 when it is not running. */
    public synchronized long pid(int id) {
        Process p = processes.get(id);
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    /** Kills the node with SIGKILL, like a power cut, and returns once its process is gone. */
    public synchronized void kill(int id) {
        Process p = requireRunning(id);
        p.destroyForcibly();
        awaitExit(id, p);
        log.atInfo().addKeyValue("node", id).log("Kafka node killed (SIGKILL)");
    }

    /** Stops the node with SIGTERM (a controlled shutdown moves its leaderships away first). */
    public synchronized void stop(int id) {
        Process p = requireRunning(id);
        p.destroy();
        awaitExit(id, p);
        log.atInfo().addKeyValue("node", id).log("Kafka node stopped");
    }

    /** Starts a stopped or killed node again on its data directory and waits until it serves. */
    public synchronized void start(int id) {
        if (isRunning(id)) {
            throw new IllegalStateException("node " + id + " is running");
        }
        try {
            launch(id);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + id, e);
        }
        awaitBrokers(Set.of(id), START_TIMEOUT);
    }

    /**
     * Starts a node whose process has exited again, without waiting for it to serve: what a supervisor does for each
     * node it finds gone (a node alone cannot serve while its controller quorum is down, so waiting for each in turn
     * could wait forever). False, and nothing started, once the cluster is closed or while the node runs.
     */
    public synchronized boolean relaunch(int id) {
        if (closed || isRunning(id)) {
            return false;
        }
        try {
            launch(id);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + id, e);
        }
        log.atInfo().addKeyValue("node", id).log("Kafka node started again");
        return true;
    }

    private Process requireRunning(int id) {
        Process p = processes.get(id);
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("node " + id + " is not running");
        }
        return p;
    }

    private void awaitExit(int id, Process p) {
        try {
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        processes.remove(id);
    }

    /**
     * Waits until each of {@code ids} is a registered, unfenced broker that answers requests itself.
     *
     * <p>The cluster's metadata alone is not enough: when a restart follows the loss of the
     * controller quorum (two of three nodes killed), the metadata still lists the killed
     * incarnation as registered, unfenced and in every ISR, because nothing could be committed
     * without a quorum. The restarted process serves only once the controller has fenced that
     * stale registration and accepted its new one, which can take many seconds on a loaded machine.
     */
    public void awaitBrokers(Set<Integer> ids, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                Set<Integer> live = admin().describeCluster().nodes().get(2, TimeUnit.SECONDS)
                        .stream().map(Node::id).collect(Collectors.toSet());
                if (live.containsAll(ids) && ids.stream().allMatch(this::serves)) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                // not up yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for brokers " + ids, e);
            }
            for (int id : ids) {
                if (!isRunning(id)) {
                    throw new IllegalStateException("Kafka node " + id + " exited during start-up; see " + logFile(id));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka brokers " + ids + " not serving after " + timeout + "; see " + config.dataDir());
            }
            pause(200);
        }
    }

    /**
     * Whether the node answers a metadata request on its own listener: a broker processes requests
     * only after the controller has accepted its current registration and it has caught up.
     */
    private boolean serves(int id) {
        // Bootstrapped at this node alone: the client's first metadata request goes there and nowhere else.
        Admin own = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.host() + ":" + addresses.get(id).brokerPort(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000));
        try {
            return own.describeCluster().nodes().get(2, TimeUnit.SECONDS).stream().anyMatch(n -> n.id() == id);
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            own.close(Duration.ZERO);
        }
    }

    /** The current leader's node id of {@code tp}, or -1 while it has none. */
    public int leader(TopicPartition tp) {
        TopicPartitionInfo info = describe(tp);
        return info.leader() == null || info.leader().isEmpty() ? -1 : info.leader().id();
    }

    /** The node ids in the in-sync replica set of {@code tp}. */
    public Set<Integer> inSyncReplicas(TopicPartition tp) {
        return describe(tp).isr().stream().map(Node::id).collect(Collectors.toSet());
    }

    private TopicPartitionInfo describe(TopicPartition tp) {
        try {
            TopicDescription d = admin().describeTopics(List.of(tp.topic())).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(tp.topic());
            return d.partitions().get(tp.partition());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe " + tp, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** An admin client on this cluster, owned by the cluster (do not close it). */
    public synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000));
        }
        return admin;
    }

    /** Blocks until every node's process has exited, for the command-line launcher. */
    public void awaitShutdown() {
        List<Process> running;
        synchronized (this) {
            running = List.copyOf(processes.values());
        }
        for (Process p : running) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops every node (SIGTERM, all at once so the quorum shuts down together), then kills stragglers. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
        processes.values().forEach(Process::destroy);
        for (var e : List.copyOf(processes.entrySet())) {
            awaitExit(e.getKey(), e.getValue());
        }
        log.atInfo().addKeyValue("dataDir", config.dataDir()).log("Kafka cluster stopped");
    }
}
