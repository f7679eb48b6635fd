package io.roomcast.bench.scenario;

import io.roomcast.bench.agent.LoadFleet;
import io.roomcast.bench.report.Metric;
import io.roomcast.bench.target.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code connections}: N idle connections, each with one subscription → heap and RSS per
 * connection (after a full GC, minus the idle server's), connect rate.
 */
@Command(name = "connections", mixinStandardHelpOptions = true,
        description = "N idle subscribed connections: heap and RSS per connection, connect rate.")
public final class ConnectionsCommand implements Callable<Integer> {
    private static final Duration QUIET_WINDOW = Duration.ofMillis(500);
    private static final double QUIET_SHARE = 0.1;
    private static final Duration QUIET_MAX = Duration.ofSeconds(60);

    @Mixin
    CommonOptions common;

    @Option(names = "--clients", defaultValue = "10000", description = "connections (default: ${DEFAULT-VALUE}; a server process is capped at 20,000 open files here)")
    int clients;

    @Option(names = "--rooms", defaultValue = "100", description = "rooms the connections subscribe to (default: ${DEFAULT-VALUE})")
    int rooms;

    @Option(names = "--settle", defaultValue = "PT2S", description = "wait after connecting before measuring memory (default: ${DEFAULT-VALUE})")
    Duration settle;

    @Option(names = "--warm-waves", defaultValue = "1",
            description = "waves after the first, each once the previous one has closed; the last is measured as the warm wave (default: ${DEFAULT-VALUE})")
    int warmWaves;

    @Override
    public Integer call() {
        if (warmWaves < 1) {
            throw new IllegalArgumentException("--warm-waves must be at least 1, was " + warmWaves);
        }
        try (BenchRun run = new BenchRun("connections", common, System.out)) {
            run.report.param("clients", clients).param("rooms", rooms).param("warmWaves", warmWaves);
            run.report.metrics(
                    Metric.info("clients", "connections subscribed", ""),
                    Metric.info("failed", "connections failed", ""),
                    Metric.higher("connectRate", "connect + subscribe rate, first wave (cold server)", "/s"),
                    Metric.lower("closeBusyS", "server busy with the first wave's closes", "s"),
                    Metric.higher("warmConnectRate", "connect + subscribe rate, last wave (after the previous closed)", "/s"),
                    Metric.lower("connectCpuS", "server CPU while connecting", "s"),
                    Metric.lower("warmConnectCpuS", "server CPU while connecting, last wave", "s"),
                    Metric.lower("heapPerConnKb", "heap per connection (JS heap for peers)", "KB"),
                    Metric.lower("rssPerConnKb", "RSS per connection (edge / peer server)", "KB"),
                    Metric.info("heapMb", "heap after GC with all connected", "MB"),
                    Metric.info("rssMb", "RSS with all connected", "MB"),
                    Metric.info("loadCpuS", "load generator CPU while connecting", "s"));
            run.measureEach(run.systems(true), (system, t) -> measure(run, system, t));
            run.report.note("per-connection figures are (with all connected - idle server) / connections, heap after a full GC, "
                    + "from the first wave; each further wave (" + warmWaves + ") reconnects as many clients once the previous "
                    + "have closed and the server has finished with their closes (closeBusyS, after the first wave: until it uses "
                    + "under " + Math.round(QUIET_SHARE * 100) + "% of a core over " + QUIET_WINDOW.toMillis() + " ms); the last "
                    + "is the warm wave, to a server whose JIT has compiled the handshake (a long-running server's case)");
            return run.finish();
        }
    }

    private void measure(BenchRun run, String system, Target t) {
        long heap0 = t.heapAfterGc();
        long rss0 = rss(t);
        try (LoadFleet fleet = run.fleet(clients)) {
            CpuWindow cpu = run.window(t, fleet);
            LoadFleet.Opened opened = fleet.open(run.openCommand(t, t.rooms(rooms)), clients);
            cpu.stop();
            run.log(system + ": " + opened.ready() + " subscribed, " + opened.failed() + " failed in " + opened.millis() + " ms");
            BenchRun.pause(settle);
            long heap1 = t.heapAfterGc();
            long rss1 = rss(t);
            int n = Math.max(1, opened.ready());
            run.report.put(system, "clients", opened.ready());
            run.report.put(system, "failed", opened.failed());
            run.report.put(system, "connectRate", opened.ready() / (opened.millis() / 1000.0));
            run.report.put(system, "connectCpuS", cpu.total());
            run.report.put(system, "heapPerConnKb", (heap1 - heap0) / 1024.0 / n);
            run.report.put(system, "rssPerConnKb", (rss1 - rss0) / 1024.0 / n);
            run.report.put(system, "heapMb", heap1 / 1e6);
            run.report.put(system, "rssMb", rss1 / 1e6);
            run.report.put(system, "loadCpuS", cpu.load());
            LoadFleet.Snapshot s = fleet.stats();
            if (opened.failed() > 0 || s.closedByServer() > 0) {
                run.report.note(system + ": " + opened.failed() + " failed, " + s.closedByServer() + " closed by the server: " + s.reasons());
            }
        }
        for (int wave = 2; wave <= warmWaves + 1; wave++) {
            double busy = untilQuiet(t);
            if (Double.isNaN(busy)) {
                run.report.note(system + ": the server was still busy " + QUIET_MAX.toSeconds() + " s after wave " + (wave - 1) + " closed");
            } else if (wave == 2) {
                run.report.put(system, "closeBusyS", busy);
            }
            warmWave(run, system, t, wave);
        }
    }

    /** One further wave; each overwrites the warm figures, so the report holds the last. */
    private void warmWave(BenchRun run, String system, Target t, int wave) {
        try (LoadFleet fleet = run.fleet(clients)) {
            CpuWindow cpu = run.window(t, fleet);
            LoadFleet.Opened opened = fleet.open(run.openCommand(t, t.rooms(rooms)), clients);
            cpu.stop();
            run.report.put(system, "warmConnectCpuS", cpu.total());
            run.log(system + ": wave " + wave + " " + opened.ready() + " subscribed, " + opened.failed() + " failed in " + opened.millis()
                    + " ms, server CPU " + String.format("%.2f", cpu.total()) + " s");
            run.report.put(system, "warmConnectRate", opened.ready() / (opened.millis() / 1000.0));
        }
    }

    /**
     * Seconds until the edge (or peer server) is done with the closes of the first wave: until it
     * uses under {@link #QUIET_SHARE} of a core over {@link #QUIET_WINDOW}; NaN if it is still busy
     * after {@link #QUIET_MAX}. Without this wait the second wave measured the first wave's closes
     * too: the load generator closes its sockets at once, and the server processes them afterwards.
     */
    private static double untilQuiet(Target t) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < QUIET_MAX.toNanos()) {
            CpuWindow w = CpuWindow.start(t, null);
            BenchRun.pause(QUIET_WINDOW);
            if (w.stop().front() < QUIET_SHARE * QUIET_WINDOW.toNanos() / 1e9) {
                return (System.nanoTime() - start) / 1e9;
            }
        }
        return Double.NaN;
    }

    private static long rss(Target t) {
        var rss = t.rssBytes();
        return rss.getOrDefault("edge", rss.getOrDefault("server", 0L));
    }
}
