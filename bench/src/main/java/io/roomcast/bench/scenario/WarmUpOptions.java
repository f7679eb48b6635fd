package io.roomcast.bench.scenario;

import picocli.CommandLine.Option;

import java.time.Duration;

/** How long a live scenario publishes before it measures: see {@link WarmUp}. */
public final class WarmUpOptions {
    @Option(names = "--warmup", defaultValue = "PT20S",
            description = "publishing before the settle check starts: the JVMs (edge, Kafka) compile their hot code meanwhile (default: ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--warmup-max", defaultValue = "PT120S",
            description = "longest warm-up; measuring starts then even if CPU per delivery has not settled (noted in the report). "
                    + "Equal to --warmup: a fixed warm-up without the settle check (default: ${DEFAULT-VALUE})")
    Duration warmupMax;

    @Option(names = "--settle-window", defaultValue = "PT5S",
            description = "after --warmup, edge/peer CPU per delivery is measured over successive windows this long (default: ${DEFAULT-VALUE})")
    Duration settleWindow;

    @Option(names = "--settle-tolerance", defaultValue = "0.05",
            description = "the warm-up ends when two successive windows' CPU per delivery differ by at most this share (default: ${DEFAULT-VALUE})")
    double settleTolerance;
}
