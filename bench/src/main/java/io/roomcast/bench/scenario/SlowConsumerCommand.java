package io.roomcast.bench.scenario;

import io.roomcast.bench.agent.LoadFleet;
import io.roomcast.bench.report.Metric;
import io.roomcast.bench.target.EventSink;
import io.roomcast.bench.target.PacedPublisher;
import io.roomcast.bench.target.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code slow-consumer}: the fan-out load where a share of subscribers read slowly (a few KB/s
 * through a small receive buffer) or not at all → latency and deliveries of the fast ones, what
 * the slow ones got, and the server's memory.
 */
@Command(name = "slow-consumer", mixinStandardHelpOptions = true,
        description = "Fan-out with a share of slow and stalled subscribers: latency of the fast ones, server memory.")
public final class SlowConsumerCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--rooms", defaultValue = "20", description = "rooms (default: ${DEFAULT-VALUE})")
    int rooms;

    @Option(names = "--subscribers", defaultValue = "100", description = "subscribers per room (default: ${DEFAULT-VALUE})")
    int subscribers;

    @Option(names = "--rate", defaultValue = "100", description = "events published per second (default: ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--slow-share", defaultValue = "0.05", description = "share of subscribers reading slowly (default: ${DEFAULT-VALUE})")
    double slowShare;

    @Option(names = "--stalled-share", defaultValue = "0.05", description = "share of subscribers not reading at all (default: ${DEFAULT-VALUE})")
    double stalledShare;

    @Option(names = "--slow-bytes-per-second", defaultValue = "256", description = "what a slow subscriber reads per second (default: ${DEFAULT-VALUE})")
    int slowBytesPerSecond;

    @Option(names = "--warmup", defaultValue = "PT10S", description = "publishing before measuring (default: ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--duration", defaultValue = "PT15S", description = "measured time (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Override
    public Integer call() {
        try (BenchRun run = new BenchRun("slow-consumer", common, System.out)) {
            run.report.param("rooms", rooms).param("subscribersPerRoom", subscribers).param("eventsPerSecond", rate)
                    .param("slowShare", slowShare).param("stalledShare", stalledShare)
                    .param("slowBytesPerSecond", slowBytesPerSecond).param("duration", duration.toString());
            run.report.metrics(
                    Metric.info("clients", "subscribers connected", ""),
                    Metric.info("expectedFastDps", "deliveries expected to fast subscribers", "/s"),
                    Metric.higher("fastDps", "deliveries to fast subscribers", "/s"));
            run.report.metrics(Measures.latencyMetrics("latency", "fast subscribers' latency"));
            run.report.metrics(
                    Metric.info("slowEvents", "events the slow subscribers received", ""),
                    Metric.info("closedByServer", "connections the server closed", ""),
                    Metric.lower("serverCpuS", "server CPU total", "s"));
            run.report.metrics(Measures.memoryMetrics());
            run.measureEach(run.systems(true), (system, t) -> measure(run, system, t));
            return run.finish();
        }
    }

    private void measure(BenchRun run, String system, Target t) {
        List<String> roomNames = t.rooms(rooms);
        int clients = rooms * subscribers;
        try (LoadFleet fleet = run.fleet(clients)) {
            LoadFleet.Opened opened = fleet.open(run.openCommand(t, roomNames).put("slowShare", slowShare)
                    .put("stalledShare", stalledShare).put("slowBytesPerSecond", slowBytesPerSecond).put("slowReceiveBuffer", 4096), clients);
            run.log(system + ": " + opened.ready() + " subscribed, " + opened.failed() + " failed");
            run.report.put(system, "clients", opened.ready());
            try (EventSink sink = t.sink(); PacedPublisher pub = new PacedPublisher(sink, roomNames, rate, run.options.payloadBytes)) {
                BenchRun.pause(warmup);
                LoadFleet.Snapshot before = fleet.stats();
                CpuWindow cpu = run.window(t, fleet);
                BenchRun.pause(duration);
                LoadFleet.Snapshot after = fleet.stats();
                cpu.stop();
                double fastShare = 1 - slowShare - stalledShare;
                run.report.put(system, "expectedFastDps", rate * subscribers * fastShare);
                run.report.put(system, "fastDps", (after.events() - before.events()) / cpu.seconds());
                Measures.latency(run.report, system, "latency", after.latency());
                run.report.put(system, "slowEvents", after.slowEvents());
                run.report.put(system, "closedByServer", after.closedByServer());
                run.report.put(system, "serverCpuS", cpu.total());
                Measures.memory(run.report, system, t);
                if (after.closedByServer() > 0) {
                    run.report.note(system + ": closed " + after.closedByServer() + " connections: " + after.reasons());
                }
            }
        }
    }
}
