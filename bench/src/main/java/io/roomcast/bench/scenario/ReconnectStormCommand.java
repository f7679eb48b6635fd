package io.roomcast.bench.scenario;

import io.roomcast.bench.agent.LoadFleet;
import io.roomcast.bench.report.Metric;
import io.roomcast.bench.target.EventSink;
import io.roomcast.bench.target.PacedPublisher;
import io.roomcast.bench.target.Target;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code reconnect-storm}: N clients each miss K events of their room, then all reconnect at once
 * asking for what they missed → time until every client has every event, per-client catch-up
 * p50/p99. Once with K inside the edge's history cache, once beyond it (read from Kafka).
 */
@Command(name = "reconnect-storm", mixinStandardHelpOptions = true,
        description = "N clients miss K events, then all reconnect at once: time until all have caught up (within and beyond the history cache).")
public final class ReconnectStormCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--clients", defaultValue = "1000", description = "clients (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--rooms", defaultValue = "10", description = "rooms (default: ${DEFAULT-VALUE})")
    int rooms;

    @Option(names = "--missed", defaultValue = "100", description = "events each room gets while its clients are away, inside the history cache (default: ${DEFAULT-VALUE})")
    int missed;

    @Option(names = "--missed-beyond", defaultValue = "1100",
            description = "events each room gets while away in the second round, beyond the history cache (default: ${DEFAULT-VALUE}; history cache: --history-size)")
    int missedBeyond;

    @Option(names = "--settle", defaultValue = "PT2S",
            description = "wait after the clients dropped, so the server has seen them go before the events they miss (default: ${DEFAULT-VALUE})")
    Duration settle;

    @Option(names = "--warm-storms", defaultValue = "1",
            description = "unmeasured storms (within and beyond) first, so no server is measured while its JIT still compiles the "
                    + "catch-up path, as on a server that has run for a while (default: ${DEFAULT-VALUE}; 0: a cold server)")
    int warmStorms;

    @Option(names = "--timeout", defaultValue = "PT60S", description = "give up on a round after (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() {
        try (BenchRun run = new BenchRun("reconnect-storm", common, System.out)) {
            run.report.param("clients", clients).param("rooms", rooms).param("missedWithin", missed)
                    .param("missedBeyond", missedBeyond).param("historySize", common.historySize).param("warmStorms", warmStorms);
            for (String round : List.of("within", "beyond")) {
                String what = round.equals("within") ? "cache" : "Kafka";
                run.report.metrics(
                        Metric.info(round + "Missed", round + ": events missed per client (" + what + ")", ""),
                        Metric.lower(round + "AllMs", round + ": time until every client caught up", "ms"),
                        Metric.lower(round + "P50Ms", round + ": per-client catch-up p50", "ms"),
                        Metric.lower(round + "P99Ms", round + ": per-client catch-up p99", "ms"),
                        Metric.lower(round + "MaxMs", round + ": per-client catch-up max", "ms"),
                        Metric.higher(round + "Recovered", round + ": clients recovered without a gap", ""),
                        Metric.higher(round + "EventsPerSec", round + ": events replayed", "/s"),
                        Metric.lower(round + "ServerCpuS", round + ": server CPU", "s"));
            }
            run.measureEach(run.systems(true), (system, t) -> {
                if (!t.canResume()) {
                    run.report.fillMissing(system, "n/a (no recovery)");
                    run.report.note(system + ": a reconnecting client cannot ask for what it missed; it would lose those events");
                    return;
                }
                measure(run, system, t);
            });
            return run.finish();
        }
    }

    private void measure(BenchRun run, String system, Target t) {
        List<String> roomNames = t.rooms(rooms);
        try (LoadFleet fleet = run.fleet(clients); EventSink sink = t.sink()) {
            LoadFleet.Opened opened = fleet.open(run.openCommand(t, roomNames).put("concurrency", 100_000), clients);
            run.log(system + ": " + opened.ready() + " subscribed, " + opened.failed() + " failed");
            // every client sees one event first, so it has a position to resume from
            PacedPublisher.burst(sink, roomNames, 1, run.options.payloadBytes);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (fleet.stats().events() < opened.ready() && System.nanoTime() < deadline) {
                BenchRun.pause(Duration.ofMillis(50));
            }
            for (int i = 1; i <= warmStorms; i++) {
                for (int perRoom : List.of(missed, missedBeyond)) {
                    LoadFleet.Resumed r = storm(fleet, sink, roomNames, perRoom, run.options.payloadBytes);
                    run.log(system + " warm-up storm " + i + " (" + perRoom + " missed): " + r.caughtUp() + "/" + clients
                            + " caught up in " + r.millis() + " ms");
                }
            }
            round(run, system, t, fleet, sink, roomNames, "within", missed);
            round(run, system, t, fleet, sink, roomNames, "beyond", missedBeyond);
        }
    }

    /** An unmeasured storm: the clients drop, each room gets {@code perRoom} events, and all reconnect at once asking for them. */
    private LoadFleet.Resumed storm(LoadFleet fleet, EventSink sink, List<String> roomNames, int perRoom, int payloadBytes) {
        drop(fleet, sink, roomNames, perRoom, payloadBytes);
        fleet.stats(); // starts fresh histograms
        return fleet.resume(perRoom, timeout.toMillis());
    }

    /** The clients drop; once the server has seen them go, each room gets {@code perRoom} events they miss. */
    private void drop(LoadFleet fleet, EventSink sink, List<String> roomNames, int perRoom, int payloadBytes) {
        fleet.disconnect();
        BenchRun.pause(settle);
        PacedPublisher.burst(sink, roomNames, perRoom, payloadBytes);
    }

    private void round(BenchRun run, String system, Target t, LoadFleet fleet, EventSink sink, List<String> roomNames,
                       String round, int perRoom) {
        drop(fleet, sink, roomNames, perRoom, run.options.payloadBytes);
        long eventsBefore = fleet.stats().events(); // also starts fresh histograms
        CpuWindow cpu = run.window(t, fleet);
        LoadFleet.Resumed r = fleet.resume(perRoom, timeout.toMillis());
        cpu.stop();
        LoadFleet.Snapshot after = fleet.stats();
        Histogram catchup = after.catchup();
        run.log(system + " " + round + ": " + r.caughtUp() + "/" + clients + " caught up in " + r.millis() + " ms, "
                + r.notRecovered() + " not recovered, " + r.failed() + " failed");
        run.report.put(system, round + "Missed", perRoom);
        if (r.caughtUp() >= clients) {
            run.report.put(system, round + "AllMs", r.millis());
        } else {
            run.report.text(system, round + "AllMs", "incomplete: " + r.caughtUp() + "/" + clients + " in " + r.millis() + " ms");
        }
        if (catchup.getTotalCount() > 0) {
            run.report.put(system, round + "P50Ms", catchup.getValueAtPercentile(50) / 1000.0);
            run.report.put(system, round + "P99Ms", catchup.getValueAtPercentile(99) / 1000.0);
            run.report.put(system, round + "MaxMs", catchup.getMaxValue() / 1000.0);
        }
        run.report.put(system, round + "Recovered", clients - r.notRecovered() - r.failed());
        run.report.put(system, round + "EventsPerSec", (after.events() - eventsBefore) / (r.millis() / 1000.0));
        run.report.put(system, round + "ServerCpuS", cpu.total());
    }
}
