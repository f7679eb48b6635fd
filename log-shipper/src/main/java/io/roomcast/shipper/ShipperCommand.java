package io.roomcast.shipper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roomcast.topic.TopicPolicy;
import io.roomcast.topic.TopicPolicyOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code roomcast shipper}: tails files and/or stdin into log rooms until SIGTERM or Ctrl-C (a
 * stdin-only shipper ends with its input). Flags add one source to those of the config file;
 * {@code --kafka} beats the file's {@code kafka}, which beats {@code $ROOMCAST_KAFKA}, which beats
 * {@code localhost:9092}. Exit codes: 0 stopped normally, 1 failed at run time, 2 invalid usage
 * or configuration.
 */
@Command(name = "shipper", mixinStandardHelpOptions = true,
        description = "Ship log files and stdin into Roomcast log rooms, exactly once across restarts and Kafka outages.",
        footer = {"", "Examples:",
                "  roomcast shipper --kafka localhost:9092 --file '/var/log/api/*.log' --room logs:api",
                "  my-build 2>&1 | roomcast shipper --stdin --room logs:build",
                "  roomcast shipper --config shipper.json"})
public final class ShipperCommand implements Callable<Integer> {
    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--kafka", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: the config file's, else $ROOMCAST_KAFKA, else localhost:9092)")
    private String kafka;

    @Option(names = "--file", paramLabel = "PATTERN",
            description = "file or glob pattern to follow like tail -F, quoted (repeatable); needs --room")
    private List<String> files = new ArrayList<>();

    @Option(names = "--room", paramLabel = "ROOM", description = "room to ship into, for example logs:api")
    private String room;

    @Mixin
    TopicPolicyOptions topicPolicy;

    @Option(names = "--stdin", description = "ship standard input into --room")
    private boolean stdin;

    @Option(names = "--config", paramLabel = "FILE", description = "JSON configuration file with further sources and settings")
    private Path configFile;

    @Option(names = "--host", paramLabel = "NAME", description = "host name written into events (default: this machine's)")
    private String host;

    @Option(names = "--multiline", paramLabel = "RULE",
            description = "how lines join into records for --file/--stdin: java (default), none, continuation:REGEX or start:REGEX")
    private String multiline;

    @Option(names = "--start-at", paramLabel = "WHERE",
            description = "where to begin in files never shipped before that exist at start-up: beginning (default) or end")
    private String startAt;

    @Option(names = "--position-key-file", paramLabel = "FILE", defaultValue = "${env:ROOMCAST_SHIPPER_POSITION_KEY_FILE}",
            description = "file holding a secret (at least 16 bytes) that signs the shipper's positions; only positions signed with it are trusted at restart")
    private Path positionKeyFile;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "topic for --file/--stdin (default: by the room's namespace, logs -> roomcast.logs)")
    private String topic;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ShipperCommand()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        ShipperConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("roomcast shipper: " + e.getMessage());
            err.println("Try 'roomcast shipper --help'.");
            err.flush();
            return 2;
        }
        LogShipper shipper = LogShipper.start(config, new SimpleMeterRegistry(), null);
        Thread hook = new Thread(shipper::close, "roomcast-shipper-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        while (!shipper.awaitFinished(Duration.ofSeconds(60))) {
            // runs until SIGTERM/Ctrl-C (the hook closes the shipper) or until a stdin-only input ends
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is what stopped us
        }
        shipper.close();
        return shipper.failure() == null ? 0 : 1;
    }

    /** The configuration from the config file and the flags; throws with every problem found. */
    ShipperConfig config() {
        ConfigFile file = configFile == null ? null : ConfigFile.load(configFile);
        List<String> problems = new ArrayList<>();
        List<SourceConfig> sources = new ArrayList<>(file == null ? List.of() : file.sources());
        if ((!files.isEmpty() || stdin) && room == null) {
            problems.add("--room is required with --file and --stdin");
        } else if (room != null && files.isEmpty() && !stdin) {
            problems.add("--room needs --file or --stdin");
        } else if (room == null && (multiline != null || startAt != null || topic != null)) {
            // they would be ignored: a config file's sources carry their own
            problems.add("--multiline, --start-at and --topic go with --file or --stdin and --room; in a config file, set them per source");
        } else if (room != null) {
            try {
                MultilineRule rule = multilineRule(multiline == null ? "java" : multiline);
                SourceConfig.StartAt start = startAt(startAt == null ? "beginning" : startAt);
                for (String pattern : files) {
                    sources.add(new SourceConfig(room, pattern, false, rule, start, topic));
                }
                if (stdin) {
                    sources.add(new SourceConfig(room, null, true, rule, start, topic));
                }
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (sources.isEmpty() && problems.isEmpty()) {
            problems.add("nothing to ship: give --file PATTERN --room ROOM, --stdin --room ROOM, or --config FILE with sources");
        }
        TopicPolicy policy = TopicPolicy.brokerDefaults();
        try {
            policy = topicPolicy.policy();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        PositionKey positionKey = null;
        if (positionKeyFile != null) {
            try {
                positionKey = PositionKey.fromFile(positionKeyFile);
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                problems.add("--position-key-file: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException("invalid arguments", problems);
        }
        String servers = kafka != null ? kafka
                : file != null && file.kafka() != null ? file.kafka()
                : System.getenv().getOrDefault("ROOMCAST_KAFKA", "localhost:9092");
        String hostName = host != null ? host : file != null && file.host() != null ? file.host() : ShipperConfig.localHostName();
        return new ShipperConfig(servers, hostName, sources,
                TopicLayout.of(file == null ? Map.of() : file.topics()).withPolicy(policy),
                file == null ? ShipperSettings.defaults() : file.settings(),
                file == null ? Map.of() : file.kafkaProperties(),
                file != null && file.zone() != null ? file.zone() : ZoneId.systemDefault(), positionKey);
    }

    static MultilineRule multilineRule(String text) {
        if (text.equals("java")) {
            return MultilineRule.java();
        }
        if (text.equals("none")) {
            return MultilineRule.none();
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--multiline must be java, none, continuation:REGEX or start:REGEX, was '" + text + "'");
        }
        return MultilineRule.of(text.substring(colon + 1), text.substring(0, colon), MultilineRule.DEFAULT_MAX_LINES);
    }

    private static SourceConfig.StartAt startAt(String text) {
        return switch (text) {
            case "beginning" -> SourceConfig.StartAt.BEGINNING;
            case "end" -> SourceConfig.StartAt.END;
            default -> throw new IllegalArgumentException("--start-at must be beginning or end, was '" + text + "'");
        };
    }
}
