package io.roomcast.kafka.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A real single-node Apache Kafka broker in KRaft mode (combined broker and controller), run
 * in-process from Kafka's own server classes. Not a fake: clients talk to it over TCP exactly as
 * they talk to any Kafka cluster.
 *
 * <p>The data directory is formatted on first start and reused afterwards, so a broker stopped
 * with {@link #close()} and started again on the same directory keeps its topics and offsets.
 * The ports chosen at first start are remembered in the data directory, because the KRaft voter
 * set records the controller's address.
 *
 * <p>Thread-safety: {@link #start} and {@link #close} are not meant to race each other; the
 * broker itself runs on Kafka's threads.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String PORTS_FILE = "roomcast-embedded.properties";

    private final EmbeddedKafkaConfig config;
    private final int port;
    private final KafkaRaftServer server;
    private volatile boolean closed;

    private EmbeddedKafka(EmbeddedKafkaConfig config, int port, KafkaRaftServer server) {
        this.config = config;
        this.port = port;
        this.server = server;
    }

    /** Formats the data directory if needed, starts the broker and returns once it serves requests. */
    public static EmbeddedKafka start(EmbeddedKafkaConfig config) {
        try {
            Files.createDirectories(config.dataDir());
            Ports ports = Ports.resolve(config);
            Path logDir = config.dataDir().resolve("log");
            Properties props = serverProperties(config, ports, logDir);
            Path propsFile = config.dataDir().resolve("server.properties");
            try (Writer w = Files.newBufferedWriter(propsFile, StandardCharsets.UTF_8)) {
                props.store(w, "written by Roomcast's embedded Kafka");
            }
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                StorageFormat.format(propsFile, Uuid.randomUuid().toString(), true);
            }
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            EmbeddedKafka kafka = new EmbeddedKafka(config, ports.broker(), server);
            log.atInfo().addKeyValue("bootstrap", kafka.bootstrapServers())
                    .addKeyValue("dataDir", config.dataDir()).log("embedded Kafka started");
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka data directory " + config.dataDir(), e);
        }
    }

    private static Properties serverProperties(EmbeddedKafkaConfig config, Ports ports, Path logDir) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.bootstrap.servers", config.host() + ":" + ports.controller());
        p.setProperty("listeners", "PLAINTEXT://" + config.host() + ":" + ports.broker()
                + ",CONTROLLER://" + config.host() + ":" + ports.controller());
        p.setProperty("advertised.listeners", "PLAINTEXT://" + config.host() + ":" + ports.broker());
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("num.partitions", Integer.toString(config.defaultPartitions()));
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "4");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "4");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "false");
        // Retention checks every 10 s instead of 5 min so short test retentions take effect promptly.
        p.setProperty("log.retention.check.interval.ms", "10000");
        // Sized for the small machines the embedded broker runs on (demo, tests, bench): Kafka's
        // defaults (3 network, 8 IO, 10 background threads) are for dedicated servers. On two cores
        // the broker's CPU per event differed by less than run-to-run noise (docs/benchmarks.md);
        // fewer threads mean fewer hand-offs and less memory.
        p.setProperty("num.network.threads", "1");
        p.setProperty("num.io.threads", "2");
        p.setProperty("background.threads", "2");
        p.putAll(config.overrides());
        return p;
    }

    public String bootstrapServers() {
        return config.host() + ":" + port;
    }

    public EmbeddedKafkaConfig config() {
        return config;
    }

    /** Blocks until the broker has shut down, for the command-line launcher. */
    public void awaitShutdown() {
        server.awaitShutdown();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        log.atInfo().addKeyValue("bootstrap", bootstrapServers()).log("embedded Kafka stopped");
    }

    /** The broker and controller ports, fixed at first start and remembered in the data directory. */
    private record Ports(int broker, int controller) {
        static Ports resolve(EmbeddedKafkaConfig config) throws IOException {
            Path file = config.dataDir().resolve(PORTS_FILE);
            Properties saved = new Properties();
            if (Files.exists(file)) {
                try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    saved.load(in);
                }
            }
            int broker = config.port() != 0 ? config.port()
                    : Integer.parseInt(saved.getProperty("broker.port", Integer.toString(FreePort.find())));
            int controller = Integer.parseInt(saved.getProperty("controller.port", Integer.toString(FreePort.find())));
            saved.setProperty("broker.port", Integer.toString(broker));
            saved.setProperty("controller.port", Integer.toString(controller));
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                saved.store(w, "ports of this embedded Kafka; the KRaft voter set records the controller port");
            }
            return new Ports(broker, controller);
        }
    }
}
