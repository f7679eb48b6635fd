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
 * {@code fanout}: R rooms × S subscribers, P events/s published (into Kafka for Roomcast, over a
 * WebSocket for the peers) → deliveries/s, publish-to-receive latency, server CPU per delivery,
 * memory.
 */
@Command(name = "fanout", mixinStandardHelpOptions = true,
        description = "R rooms x S subscribers, P events/s: deliveries/s, latency, CPU per delivery, memory.")
public final class FanoutCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--rooms", defaultValue = "20", description = "rooms (default: ${DEFAULT-VALUE})")
    int rooms;

    @Option(names = "--subscribers", defaultValue = "100", description = "subscribers per room (default: ${DEFAULT-VALUE})")
    int subscribers;

    @Option(names = "--rate", defaultValue = "100", description = "events published per second, over all rooms (default: ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--warmup", defaultValue = "PT30S",
            description = "publishing before measuring; the JVMs (edge, Kafka) compile their hot code meanwhile (default: ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--duration", defaultValue = "PT15S", description = "measured time (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Override
    public Integer call() {
        try (BenchRun run = new BenchRun("fanout", common, System.out)) {
            run.report.param("rooms", rooms).param("subscribersPerRoom", subscribers).param("eventsPerSecond", rate)
                    .param("warmup", warmup.toString()).param("duration", duration.toString());
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
                    Metric.lower("cpuSPerMillion", "server CPU per million deliveries", "s"));
            run.report.metrics(Measures.memoryMetrics());
            for (String system : run.systems(true)) {
                run.measure(system, t -> measure(run, system, t));
            }
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
            try (EventSink sink = t.sink(); PacedPublisher pub = new PacedPublisher(sink, roomNames, rate, run.options.payloadBytes)) {
                BenchRun.pause(warmup);
                LoadFleet.Snapshot before = fleet.stats();
                long sentBefore = pub.sent();
                CpuWindow cpu = CpuWindow.start(t, fleet);
                BenchRun.pause(duration);
                LoadFleet.Snapshot after = fleet.stats();
                cpu.stop();
                double secs = cpu.seconds();
                double deliveries = after.events() - before.events();
                run.report.put(system, "offeredEps", (pub.sent() - sentBefore) / secs);
                run.report.put(system, "expectedDps", (double) rate * subscribers);
                run.report.put(system, "deliveriesPerSec", deliveries / secs);
                Measures.latency(run.report, system, "latency", after.latency());
                Measures.cpu(run.report, system, cpu);
                run.report.put(system, "deliveriesPerServerCpuS", deliveries / cpu.total());
                run.report.put(system, "deliveriesPerFrontCpuS", deliveries / cpu.front());
                run.report.put(system, "cpuSPerMillion", cpu.total() / (deliveries / 1e6));
                if (after.duplicates() > 0) {
                    run.report.note(system + ": " + after.duplicates() + " events arrived twice or out of order");
                }
                if (after.closedByServer() > 0) {
                    run.report.note(system + ": the server closed " + after.closedByServer() + " connections: " + after.reasons());
                }
            }
            Measures.memory(run.report, system, t);
        }
    }
}
