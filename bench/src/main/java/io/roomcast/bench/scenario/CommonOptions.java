package io.roomcast.bench.scenario;

import io.roomcast.bench.proc.RoomcastJvmOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Options every scenario takes. */
public final class CommonOptions {
    @Option(names = "--peers", split = ",", defaultValue = "ws,bun,socketio",
            description = "peer servers to measure beside Roomcast: ws, bun, socketio, or none (default: ${DEFAULT-VALUE})")
    List<String> peers;

    @Option(names = "--peers-dir", description = "directory with the peers' package.json (default: bench/peers, found from the working directory)")
    Path peersDir;

    @Option(names = "--no-npm-install", negatable = false,
            description = "do not run 'npm ci' in the peers directory when node_modules is missing (skip the peers instead)")
    boolean noNpmInstall;

    @Option(names = "--only-roomcast", description = "measure Roomcast alone (same as --peers none)")
    boolean onlyRoomcast;

    @Option(names = "--kafka", description = "use this Kafka broker instead of starting one (its CPU is then not measured)")
    String kafka;

    @Option(names = "--out", defaultValue = "bench-results", description = "where JSON results and process logs go (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--payload-bytes", defaultValue = "64", description = "size of each event's data (default: ${DEFAULT-VALUE})")
    int payloadBytes;

    @Option(names = "--load-threads", defaultValue = "2", description = "selector threads per load process (default: ${DEFAULT-VALUE})")
    int loadThreads;

    @Option(names = "--max-clients-per-process", defaultValue = "18000",
            description = "clients per load process; more clients start child load processes (open files are capped at 20,000) (default: ${DEFAULT-VALUE})")
    int maxClientsPerProcess;

    @Option(names = "--source-addresses", split = ",",
            description = "local addresses clients connect from, e.g. 127.0.0.1,127.0.0.2 (default: as many 127.0.0.x as needed at 20,000 clients each)")
    List<String> sourceAddresses;

    @Option(names = "--connect-concurrency", defaultValue = "256", description = "handshakes in flight per load process while opening (default: ${DEFAULT-VALUE})")
    int connectConcurrency;

    @Option(names = "--edge-jvm", split = " ",
            description = "JVM options of the edge process, space-separated, instead of the default: -Xmx1g and the options "
                    + "./roomcast starts every process with (ws-edge's roomcast/jvm.options)")
    List<String> edgeJvm;

    @Option(names = "--history-size", defaultValue = "1000", description = "events per room in the edge's history cache (default: ${DEFAULT-VALUE}, the edge's default)")
    int historySize;

    @Option(names = "--repeat", defaultValue = "1",
            description = "runs per system, each from a fresh start (new broker, edge or peer, new clients, new warm-up), systems "
                    + "interleaved; the table and JSON give the median and the range [min..max] (default: ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--profile", description = "profile Roomcast's edge JVM with async-profiler during each measured window; "
            + "writes a flame graph (.html) and collapsed stacks (.collapsed) next to the JSON results")
    boolean profile;

    @Option(names = "--profile-args", defaultValue = "event=itimer,interval=1ms",
            description = "async-profiler start arguments for --profile (default: ${DEFAULT-VALUE}); the timer modes (itimer, ctimer) "
                    + "undercount threads that run in short bursts such as the live thread: event=cpu,interval=1ms,threads "
                    + "(perf events: root, or perf_event_paranoid at most 1) does not")
    String profileArgs;

    @Option(names = "--outbound-limit", defaultValue = "100", description = "the edge's outbound frames per connection (default: ${DEFAULT-VALUE}, the edge's default)")
    int outboundLimit;

    @Option(names = "--kafka-jvm", split = " ", defaultValue = "-Xms512m -Xmx1g",
            description = "JVM options of the embedded Kafka broker, space-separated (default: ${DEFAULT-VALUE})")
    List<String> kafkaJvm;

    @Option(names = "--kafka-property", description = "a broker setting KEY=VALUE for the embedded Kafka broker, over the "
            + "embedded defaults (repeatable), e.g. num.io.threads=4")
    List<String> kafkaProperties = List.of();

    @Option(names = "--linger-ms", defaultValue = "0",
            description = "linger.ms of the KafkaProducer that publishes Roomcast's events (default: ${DEFAULT-VALUE}: a lone event is not held back)")
    int lingerMs;

    /** The edge's JVM options as given, or the default: -Xmx1g and Roomcast's own. The main thread. */
    List<String> edgeJvm() {
        if (edgeJvm != null) {
            return edgeJvm;
        }
        List<String> options = new ArrayList<>(List.of("-Xmx1g"));
        options.addAll(RoomcastJvmOptions.load());
        return options;
    }

    /** How Roomcast's processes are started in this run, the edge with {@code edgeJvm} (the options as its JVM takes them). */
    io.roomcast.bench.target.RoomcastSetup roomcastSetup(List<String> edgeJvm) {
        return new io.roomcast.bench.target.RoomcastSetup(historySize, outboundLimit, edgeJvm, kafkaJvm, kafkaProperties, lingerMs);
    }
}
