package io.roomcast.launcher;

import picocli.CommandLine;
import io.roomcast.bench.BenchCommand;
import io.roomcast.producer.ProducerCommand;
import io.roomcast.shipper.ShipperCommand;
import picocli.CommandLine.Command;

/** The {@code ./roomcast} command line: every Roomcast component behind one entry point. */
@Command(name = "roomcast", mixinStandardHelpOptions = true, version = "Roomcast 0.1.0",
        description = "Event-sourced real-time pub/sub on Apache Kafka.",
        subcommands = {DemoCommand.class, KafkaCommand.class, EdgeCommand.class, ProducerCommand.class, ShipperCommand.class, BenchCommand.class})
public final class Roomcast implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Roomcast()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
