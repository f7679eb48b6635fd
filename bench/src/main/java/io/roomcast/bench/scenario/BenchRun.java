package io.roomcast.bench.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomcast.bench.agent.LoadFleet;
import io.roomcast.bench.proc.ChildProcess;
import io.roomcast.bench.proc.JvmOptionCheck;
import io.roomcast.bench.report.Environment;
import io.roomcast.bench.report.Report;
import io.roomcast.bench.report.ReportTable;
import io.roomcast.bench.report.ReportWriter;
import io.roomcast.bench.target.PeerTarget;
import io.roomcast.bench.target.RoomcastTarget;
import io.roomcast.bench.target.Target;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One scenario run: its report, where its logs and Kafka data go, which systems it measures, and
 * the start and stop of each system under test in turn (never two at once: they share the cores).
 */
public final class BenchRun implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PROFILER_TIMEOUT = Duration.ofSeconds(60);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    final CommonOptions options;
    final Report report;
    private final PrintStream out;
    private final Path logDir;
    private final Path workDir;
    /** The edge's JVM options as this machine's {@code java} takes them. */
    private final List<String> edgeJvm;
    private int targetsStarted;
    private int profilesTaken;

    BenchRun(String scenario, CommonOptions options, PrintStream out) {
        if (options.repeat < 1) {
            throw new IllegalArgumentException("--repeat must be at least 1, was " + options.repeat);
        }
        this.options = options;
        this.out = out;
        this.report = new Report(scenario);
        this.logDir = options.out.resolve("logs").resolve(scenario + "-" + STAMP.format(report.started()));
        try {
            this.workDir = Files.createTempDirectory("roomcast-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        report.environment().putAll(Environment.describe());
        report.environment().put("loadAverageBefore", Environment.loadAverage());
        report.param("payloadBytes", options.payloadBytes);
        report.param("repeat", options.repeat);
        this.edgeJvm = JvmOptionCheck.edgeOptions(JvmOptionCheck.thisJava(), options.edgeJvm(), this::log);
        report.param("edgeJvm", String.join(" ", edgeJvm)).param("kafkaJvm", String.join(" ", options.kafkaJvm))
                .param("kafkaProperties", String.join(" ", options.kafkaProperties)).param("lingerMs", options.lingerMs);
    }

    /** Something a scenario does with one started system. */
    interface Measurement {
        void run(Target target) throws Exception;
    }

    void log(String line) {
        out.println("[" + report.scenario() + "] " + line);
        out.flush();
    }

    /** Roomcast first, then the peers that were asked for and can run here. */
    List<String> systems(boolean withPeers) {
        List<String> systems = new ArrayList<>(List.of("roomcast"));
        if (withPeers && !options.onlyRoomcast && !(options.peers.size() == 1 && options.peers.get(0).equals("none"))) {
            Path dir = peersDir();
            if (dir == null) {
                report.note("peers skipped: no bench/peers directory found (give --peers-dir)");
            } else if (Environment.run(List.of("node", "--version")) == null) {
                report.note("peers skipped: node is not installed");
            } else if (!ensureNodeModules(dir)) {
                report.note("peers skipped: " + dir.resolve("node_modules") + " is missing (run npm ci there)");
            } else {
                systems.addAll(options.peers);
            }
        }
        systems.forEach(report::system);
        return systems;
    }

    /** Something a scenario does with one started system, told which system it is. */
    interface SystemMeasurement {
        void run(String system, Target target) throws Exception;
    }

    /**
     * Measures every system {@code --repeat} times, each run from a fresh start; the systems take
     * turns (roomcast, ws, bun, roomcast, ...) so a drift in the machine's load spreads over all of
     * them. Each run's values are kept apart; {@link #finish()} reports the median and range.
     */
    void measureEach(List<String> systems, SystemMeasurement m) {
        for (int i = 1; i <= options.repeat; i++) {
            if (options.repeat > 1) {
                log("run " + i + " of " + options.repeat);
            }
            for (String system : systems) {
                measure(system, t -> m.run(system, t));
                report.endRun(system);
            }
        }
    }

    /**
     * A measured window over {@code t}'s processes and the load generator. With {@code --profile},
     * async-profiler runs in Roomcast's edge for exactly this window and writes its flame graph
     * next to the results ({@code SCENARIO-STAMP-edge-N.html} and {@code .collapsed}).
     */
    CpuWindow window(Target t, LoadFleet fleet) {
        ChildProcess edge = options.profile ? t.processes().get("edge") : null;
        if (edge == null) {
            return CpuWindow.start(t, fleet);
        }
        String started = edge.request("profile-start " + options.profileArgs, "profile", PROFILER_TIMEOUT);
        if (!started.startsWith("ok")) {
            log("profiler did not start: " + started);
            report.note("profile not taken: " + started);
            return CpuWindow.start(t, fleet);
        }
        int n = ++profilesTaken;
        Path base = options.out.resolve(report.scenario() + "-" + STAMP.format(report.started()) + "-edge-" + n).toAbsolutePath();
        return CpuWindow.start(t, fleet, () -> {
            String done = edge.request("profile-stop " + base, "profile", PROFILER_TIMEOUT);
            log("profile of the edge: " + done);
            report.note(done.startsWith("ok") ? "edge profile " + n + " (" + options.profileArgs + "): "
                    + base.getFileName() + ".html, .collapsed" : "profile " + n + " not written: " + done);
        });
    }

    /** Starts {@code system}, runs {@code m} on it and stops it; a failure is reported, not thrown. */
    void measure(String system, Measurement m) {
        log("starting " + system);
        try (Target t = start(system)) {
            m.run(t);
        } catch (Exception e) {
            log(system + " failed: " + e);
            report.note(system + " failed: " + e.getMessage());
            report.fillMissing(system, "failed");
        }
    }

    /** Starts a fresh {@code system}; its processes log into a directory of their own, so a repeat keeps the logs of the runs before. */
    private Target start(String system) {
        targetsStarted++;
        Path logs = logDir.resolve(targetsStarted + "-" + system);
        if (system.equals("roomcast")) {
            String prefix = options.kafka == null ? "" : "bench-" + STAMP.format(report.started()) + "-" + targetsStarted + ".";
            return RoomcastTarget.start(options.kafka, prefix, workDir.resolve("kafka-" + targetsStarted), logs,
                    options.roomcastSetup(edgeJvm));
        }
        return PeerTarget.start(system, peersDir(), logs);
    }

    Path workDir() {
        return workDir;
    }

    Path logDir() {
        return logDir;
    }

    LoadFleet fleet(int clients) {
        return LoadFleet.create(clients, options.maxClientsPerProcess, options.loadThreads,
                options.sourceAddresses == null ? List.of() : options.sourceAddresses, logDir);
    }

    /** The agents' {@code open} command for {@code target}'s dialect and address. */
    ObjectNode openCommand(Target target, List<String> rooms) {
        ObjectNode cmd = JSON.createObjectNode().put("dialect", target.dialect()).put("host", target.host())
                .put("port", target.port()).put("concurrency", options.connectConcurrency).put("timeoutMs", 120_000);
        rooms.forEach(cmd.putArray("rooms")::add);
        return cmd;
    }

    /** Prints the table, writes the JSON file and returns the exit code. */
    int finish() {
        report.summarize();
        report.environment().put("loadAverageAfter", Environment.loadAverage());
        out.println();
        out.print(ReportTable.render(report));
        Path file = ReportWriter.write(report, options.out);
        out.println("results: " + file.toAbsolutePath());
        out.println("process logs: " + logDir.toAbsolutePath());
        out.flush();
        return 0;
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Path peersDir() {
        List<Path> candidates = new ArrayList<>();
        if (options.peersDir != null) {
            candidates.add(options.peersDir);
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path p = cwd; p != null; p = p.getParent()) {
            candidates.add(p.resolve("bench/peers"));
            candidates.add(p.resolve("peers"));
        }
        return candidates.stream().filter(p -> Files.isRegularFile(p.resolve("ws-server.js"))).findFirst().orElse(null);
    }

    private boolean ensureNodeModules(Path dir) {
        if (Files.isDirectory(dir.resolve("node_modules"))) {
            return true;
        }
        if (options.noNpmInstall) {
            return false;
        }
        log("installing the peers with npm ci in " + dir);
        try {
            Process p = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.MINUTES) && p.exitValue() == 0 && Files.isDirectory(dir.resolve("node_modules"));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
