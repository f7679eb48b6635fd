package io.roomcast.bench;

import io.roomcast.bench.scenario.ConnectionsCommand;
import io.roomcast.bench.scenario.FanoutCommand;
import io.roomcast.bench.scenario.FuzzCommand;
import io.roomcast.bench.scenario.KafkaBaselineCommand;
import io.roomcast.bench.scenario.ReconnectStormCommand;
import io.roomcast.bench.scenario.ReplayCommand;
import io.roomcast.bench.scenario.SlowConsumerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code roomcast bench SCENARIO [options]}: measures Roomcast and its peers side by side, prints a
 * result table and writes the results as JSON (docs/benchmarks.md).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: Roomcast beside Node ws, Bun pub/sub and Socket.IO on the same load (docs/benchmarks.md).",
        subcommands = {FanoutCommand.class, ConnectionsCommand.class, ReconnectStormCommand.class, ReplayCommand.class,
                KafkaBaselineCommand.class, SlowConsumerCommand.class, FuzzCommand.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Standalone entry point, for running the benchmarks without the launcher. */
    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "bench-logback.xml");
        }
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
