package io.roomcast.bench.target;

import io.roomcast.bench.proc.ChildProcess;
import io.roomcast.bench.proc.EdgeMain;
import io.roomcast.bench.proc.KafkaMain;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Roomcast as measured: an embedded Kafka broker and one edge, each in its own JVM ({@link KafkaMain},
 * {@link EdgeMain}); or an edge on an existing broker, whose CPU is then not measured. Events are
 * published straight into Kafka, as a model producer or log shipper would.
 */
public final class RoomcastTarget implements Target {
    public static final String TOPIC = "roomcast.events";

    private final Map<String, ChildProcess> processes = new LinkedHashMap<>();
    private final String bootstrap;
    private final String topicPrefix;
    private final URI ws;
    private final int lingerMs;

    private RoomcastTarget(String bootstrap, String topicPrefix, ChildProcess kafka, ChildProcess edge, URI ws, int lingerMs) {
        this.bootstrap = bootstrap;
        this.lingerMs = lingerMs;
        this.topicPrefix = topicPrefix;
        this.ws = ws;
        processes.put("edge", edge);
        if (kafka != null) {
            processes.put("kafka", kafka);
        }
    }

    /** Starts Kafka (unless {@code externalBootstrap} is given) and an edge. */
    public static RoomcastTarget start(String externalBootstrap, String topicPrefix, Path workDir, Path logDir,
                                       RoomcastSetup setup) {
        ChildProcess kafka = null;
        String bootstrap = externalBootstrap;
        try {
            if (bootstrap == null) {
                kafka = startKafka(workDir, logDir, setup.kafkaJvm(), setup.kafkaProperties());
                bootstrap = kafka.await("READY", Duration.ofSeconds(60));
            }
            ChildProcess edge = ChildProcess.java("edge", EdgeMain.class, setup.edgeJvm(),
                    List.of(bootstrap, topicPrefix.isEmpty() ? "-" : topicPrefix, Integer.toString(setup.historySize()),
                            Integer.toString(setup.outboundLimit())), logDir);
            URI ws = URI.create(edge.await("READY", Duration.ofSeconds(60)));
            return new RoomcastTarget(bootstrap, topicPrefix, kafka, edge, ws, setup.lingerMs());
        } catch (RuntimeException e) {
            if (kafka != null) {
                kafka.close();
            }
            throw e;
        }
    }

    /** A Kafka broker in its own JVM with the embedded defaults; its first output line {@code READY host:port} names it. */
    public static ChildProcess startKafka(Path workDir, Path logDir) {
        return startKafka(workDir, logDir, List.of("-Xms512m", "-Xmx1g"), List.of());
    }

    /** A Kafka broker in its own JVM, with these JVM options and broker settings ({@code KEY=VALUE}) over the embedded defaults. */
    public static ChildProcess startKafka(Path workDir, Path logDir, List<String> jvm, List<String> properties) {
        List<String> args = new java.util.ArrayList<>(List.of(workDir.resolve("kafka").toString(), "4"));
        args.addAll(properties);
        return ChildProcess.java("kafka", KafkaMain.class, jvm, args, logDir);
    }

    public String bootstrap() {
        return bootstrap;
    }

    public String topic() {
        return topicPrefix + TOPIC;
    }

    @Override
    public String name() {
        return "roomcast";
    }

    @Override
    public String dialect() {
        return "roomcast";
    }

    @Override
    public String host() {
        return ws.getHost();
    }

    @Override
    public int port() {
        return ws.getPort();
    }

    @Override
    public Map<String, ChildProcess> processes() {
        return processes;
    }

    @Override
    public EventSink sink() {
        return new KafkaSink(bootstrap, topic(), lingerMs);
    }

    @Override
    public boolean canResume() {
        return true;
    }

    @Override
    public boolean canReplay() {
        return true;
    }

    @Override
    public long heapAfterGc() {
        return Long.parseLong(processes.get("edge").request("heap", "heap", Duration.ofSeconds(30)).split(" ")[0]);
    }

    @Override
    public double compileSeconds() {
        long millis = Long.parseLong(processes.get("edge").request("jit", "jit", Duration.ofSeconds(10)));
        return millis < 0 ? Double.NaN : millis / 1000.0;
    }

    @Override
    public void close() {
        ChildProcess edge = processes.get("edge");
        edge.close();
        ChildProcess kafka = processes.get("kafka");
        if (kafka != null) {
            kafka.close();
        }
    }
}
