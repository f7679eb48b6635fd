package io.roomcast.bench.scenario;

import io.roomcast.bench.fuzz.FuzzRun;
import io.roomcast.bench.report.Metric;
import io.roomcast.bench.target.RoomcastTarget;
import io.roomcast.bench.target.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.util.concurrent.Callable;

/**
 * {@code fuzz}: a million hostile frames (and a stream of stranger records in the room topic)
 * against a live edge while a normal client publishes and checks it receives → crashes (goal 0),
 * error and close codes, the edge's memory afterwards. Roomcast only: the peers speak another protocol.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
        description = "Fuzz a live edge with hostile frames and stranger Kafka records while a normal client checks it is served.")
public final class FuzzCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--frames", defaultValue = "1000000", description = "fuzzed frames to send (default: ${DEFAULT-VALUE})")
    long frames;

    @Option(names = "--records", defaultValue = "100000", description = "stranger records to write into the room topic (default: ${DEFAULT-VALUE})")
    long records;

    @Option(names = "--connections", defaultValue = "64", description = "parallel fuzzing connections (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--rate", defaultValue = "150",
            description = "frames per second per connection, under the edge's limit of 200 (default: ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--seed", defaultValue = "1", description = "random seed; the same seed sends the same frames (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() {
        try (BenchRun run = new BenchRun("fuzz", common, System.out)) {
            run.report.param("frames", frames).param("records", records).param("connections", connections)
                    .param("framesPerSecondPerConnection", rate).param("seed", seed);
            run.report.metrics(
                    Metric.lower("crashes", "crashes and failed checks (goal 0)", ""),
                    Metric.info("framesSent", "fuzzed frames sent", ""),
                    Metric.info("framesPerSecond", "fuzzed frames per second", "/s"),
                    Metric.info("recordsSent", "stranger records written", ""),
                    Metric.info("watcherEvents", "watcher: own events received / acknowledged", ""),
                    Metric.info("replayed", "events replayed from earliest after the run", ""),
                    Metric.info("errors", "error frames by code", ""),
                    Metric.info("closes", "connection ends by close code", ""));
            run.report.metrics(Measures.memoryMetrics());
            run.measure("roomcast", t -> measure(run, t));
            return run.finish();
        }
    }

    private void measure(BenchRun run, Target t) throws Exception {
        RoomcastTarget target = (RoomcastTarget) t;
        URI ws = URI.create("ws://" + t.host() + ":" + t.port() + "/ws");
        FuzzRun fuzz = new FuzzRun(ws, target.bootstrap(), target.topic(), "fuzz-watch", 64 * 1024, connections, rate, seed);
        run.log("sending " + frames + " frames over " + connections + " connections and " + records + " stranger records");
        FuzzRun.Result r = fuzz.run(frames, records);
        String system = "roomcast";
        run.report.put(system, "crashes", r.crashes().size() + (target.processes().get("edge").alive() ? 0 : 1));
        long sent = r.tally().sentTotal();
        long recordsSent = r.tally().sent().getOrDefault("record", 0L);
        run.report.put(system, "framesSent", sent - recordsSent);
        run.report.put(system, "framesPerSecond", (sent - recordsSent) / Math.max(1e-3, r.elapsed().toMillis() / 1000.0));
        run.report.put(system, "recordsSent", recordsSent);
        run.report.text(system, "watcherEvents", r.watcherReceived() + " / " + r.watcherAcked());
        run.report.put(system, "replayed", r.replayedEvents());
        run.report.text(system, "errors", r.tally().errors().toString());
        run.report.text(system, "closes", r.tally().closes().toString());
        Measures.memory(run.report, system, t);
        run.report.note("frames by kind: " + r.tally().sent());
        run.report.note("watcher: longest silence " + r.longestSilence().toMillis() + " ms, " + r.foreignEvents()
                + " junk events received, " + r.unreadableFrames() + " frames it could not parse");
        r.crashes().forEach(c -> run.report.note("CRASH: " + c));
        run.log("done: " + r.tally());
    }
}
