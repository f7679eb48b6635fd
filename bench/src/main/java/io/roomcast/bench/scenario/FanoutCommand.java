package io.roomcast.bench.scenario;

import picocli.CommandLine.Command;

import java.util.Map;

/** {@code fanout}: the live scenario at 20 rooms × 100 subscribers, 100 events/s of 64 B (10,000 deliveries/s). */
@Command(name = "fanout", mixinStandardHelpOptions = true, defaultValueProvider = FanoutCommand.Defaults.class,
        description = "R rooms x S subscribers, P events/s: deliveries/s, latency, CPU per delivery, memory.")
public final class FanoutCommand extends LiveScenario {
    static final class Defaults extends ScenarioDefaults {
        Defaults() {
            super(Map.of("--rooms", "20", "--subscribers", "100", "--rate", "100"));
        }
    }
}
