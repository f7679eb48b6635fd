package io.roomcast.bench.scenario;

import picocli.CommandLine.Command;

import java.util.Map;

/** {@code broadcast}: one room × 10,000 subscribers at 10 events/s of 64 B (100,000 deliveries/s). */
@Command(name = "broadcast", mixinStandardHelpOptions = true, defaultValueProvider = BroadcastCommand.Defaults.class,
        description = "One room x 10,000 subscribers at 10 events/s: deliveries per CPU-second, latency, memory under load.")
public final class BroadcastCommand extends LiveScenario {
    static final class Defaults extends ScenarioDefaults {
        Defaults() {
            super(Map.of("--rooms", "1", "--subscribers", "10000", "--rate", "10"));
        }
    }
}
