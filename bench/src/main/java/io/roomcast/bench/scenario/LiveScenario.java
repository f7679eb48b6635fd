package io.roomcast.bench.scenario;

import io.roomcast.bench.agent.LoadFleet;
import io.roomcast.bench.report.Metric;
import io.roomcast.bench.report.ReportTable;
import io.roomcast.bench.target.EventSink;
import io.roomcast.bench.target.PacedPublisher;
import io.roomcast.bench.target.Target;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * A live fan-out scenario: R rooms × S subscribers, P events/s published round-robin over the rooms
 * (into Kafka for Roomcast, over a WebSocket for the peers) → deliveries/s, publish-to-receive
 * latency, CPU per process and per delivery, Kafka CPU per 1,000 events, memory. The named
 * scenarios ({@link FanoutCommand}, {@link TokensCommand}, {@link BroadcastCommand}) differ only in
 * their defaults, given by each command's {@link ScenarioDefaults}.
 */
abstract class LiveScenario implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    WarmUpOptions warmUp;

    @Option(names = "--rooms", description = "rooms (default: ${DEFAULT-VALUE})")
    int rooms;

    @Option(names = "--subscribers", description = "subscribers per room (default: ${DEFAULT-VALUE})")
    int subscribers;

    @Option(names = "--rate", description = "events published per second, over all rooms, round-robin (default: ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--duration", defaultValue = "PT15S", description = "measured time (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Override
    public Integer call() {
        if (rooms < 1 || subscribers < 1 || rate < 1 || common.repeat < 1) {
            throw new ParameterException(spec.commandLine(), "--rooms, --subscribers, --rate and --repeat must be at least 1");
        }
        try (BenchRun run = new BenchRun(spec.name(), common, System.out)) {
            run.report.param("rooms", rooms).param("subscribersPerRoom", subscribers).param("eventsPerSecond", rate)
                    .param("eventsPerSecondPerRoom", (double) rate / rooms)
                    .param("warmup", warmUp.warmup.toString()).param("warmupMax", warmUp.warmupMax.toString())
                    .param("settleWindow", warmUp.settleWindow.toString()).param("settleTolerance", warmUp.settleTolerance)
                    .param("settleJit", warmUp.settleJit)
                    .param("duration", duration.toString());
            run.report.metrics(
                    Metric.info("clients", "subscribers connected", ""),
                    Metric.info("offeredEps", "events published", "/s"),
                    Metric.info("expectedDps", "deliveries expected", "/s"),
                    Metric.higher("deliveriesPerSec", "deliveries", "/s"));
            run.report.metrics(Measures.latencyMetrics("latency", "publish-to-receive"));
            run.report.metrics(Measures.cpuMetrics());
            run.report.metrics(
                    Metric.higher("deliveriesPerServerCpuS", "deliveries per server CPU-second", ""),
                    Metric.higher("deliveriesPerFrontCpuS", "deliveries per edge/peer CPU-second", ""),
                    Metric.lower("cpuSPerMillion", "server CPU per million deliveries", "s"),
                    Measures.kafkaPerEventsMetric());
            run.report.metrics(Measures.edgeThreadMetrics());
            run.report.metrics(Measures.memoryMetrics());
            run.report.metrics(Metric.info("warmupS", "warm-up, until edge/peer CPU per delivery settled", "s"));
            run.measureEach(run.systems(true), (system, t) -> measure(run, system, t));
            return run.finish();
        }
    }

    private void measure(BenchRun run, String system, Target t) {
        List<String> roomNames = t.rooms(rooms);
        int clients = rooms * subscribers;
        try (LoadFleet fleet = run.fleet(clients)) {
            LoadFleet.Opened opened = fleet.open(run.openCommand(t, roomNames), clients);
            run.log(system + ": " + opened.ready() + " subscribed, " + opened.failed() + " failed in " + opened.millis() + " ms");
            run.report.put(system, "clients", opened.ready());
            Map<String, Long> rssUnderLoad;
            try (EventSink sink = t.sink(); PacedPublisher pub = new PacedPublisher(sink, roomNames, rate, run.options.payloadBytes)) {
                warmUp(run, system, t, fleet);
                LoadFleet.Snapshot before = fleet.stats();
                long sentBefore = pub.sent();
                CpuWindow cpu = run.window(t, fleet);
                BenchRun.pause(duration);
                LoadFleet.Snapshot after = fleet.stats();
                long sent = pub.sent() - sentBefore;
                cpu.stop();
                rssUnderLoad = t.rssBytes();
                double secs = cpu.seconds();
                double deliveries = after.events() - before.events();
                run.report.put(system, "offeredEps", sent / secs);
                run.report.put(system, "expectedDps", (double) rate * subscribers);
                run.report.put(system, "deliveriesPerSec", deliveries / secs);
                Measures.latency(run.report, system, "latency", after.latency());
                Measures.cpu(run.report, system, cpu);
                run.report.put(system, "deliveriesPerServerCpuS", deliveries / cpu.total());
                run.report.put(system, "deliveriesPerFrontCpuS", deliveries / cpu.front());
                run.report.put(system, "cpuSPerMillion", cpu.total() / (deliveries / 1e6));
                Measures.kafkaPerEvents(run.report, system, cpu, sent);
                Measures.edgeThreads(run.report, system, cpu, deliveries);
                if (after.duplicates() > 0) {
                    run.report.note(system + ": " + after.duplicates() + " events arrived twice or out of order");
                }
                if (after.closedByServer() > 0) {
                    run.report.note(system + ": the server closed " + after.closedByServer() + " connections: " + after.reasons());
                }
            }
            Measures.memory(run.report, system, t, rssUnderLoad);
        }
    }

    private void warmUp(BenchRun run, String system, Target t, LoadFleet fleet) {
        WarmUp.Outcome w = WarmUp.run(warmUp, t, fleet);
        run.report.put(system, "warmupS", w.seconds());
        String windows = w.windows().stream().map(WarmUp.Window::describe).collect(Collectors.joining(", "));
        run.log(system + ": warmed up for " + ReportTable.number(w.seconds()) + " s, "
                + (windows.isEmpty() ? "fixed" : (w.settled() ? "settled" : "not settled") + "; CPU per delivery by "
                + warmUp.settleWindow + " window [µs]: " + windows));
        if (!w.settled() && w.windows().size() > 1) {
            run.report.note(system + ": CPU per delivery had not settled within " + warmUp.warmupMax + " (windows [µs]: " + windows + ")");
        }
    }
}
