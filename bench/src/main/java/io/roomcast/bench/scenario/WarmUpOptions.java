package io.roomcast.bench.scenario;

import picocli.CommandLine.Option;

import java.time.Duration;

/** How long a live scenario publishes before it measures: see {@link WarmUp}. */
public final class WarmUpOptions {
    /**
     * Longer than the edge's 30-second periodic work (pings, the topic-cache refresh): its first run
     * compiles new code and deoptimises some hot code, which a shorter warm-up counted in the
     * measured window (compilation log of the fan-out, 26 Nov 2026).
     */
    @Option(names = "--warmup", defaultValue = "PT35S",
            description = "publishing before the settle check starts: the JVMs (edge, Kafka) compile their hot code meanwhile, "
                    + "and the edge's 30-second periodic work (pings, topic refresh) has run once (default: ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--warmup-max", defaultValue = "PT240S",
            description = "longest warm-up; measuring starts then even if CPU per delivery has not settled (noted in the report). "
                    + "Equal to --warmup: a fixed warm-up without the settle check (default: ${DEFAULT-VALUE})")
    Duration warmupMax;

    @Option(names = "--settle-window", defaultValue = "PT10S",
            description = "after --warmup, edge/peer CPU per delivery is measured over successive windows this long (default: ${DEFAULT-VALUE})")
    Duration settleWindow;

    @Option(names = "--settle-tolerance", defaultValue = "0.05",
            description = "the warm-up ends when two successive windows' CPU per delivery differ by at most this share (default: ${DEFAULT-VALUE})")
    double settleTolerance;

    /**
     * The edge's JIT keeps compiling long after its CPU per delivery looks flat between two windows
     * (compilation log of the fan-out, 27 Nov 2026: Kafka's fetch path reached C2 after 60–100 s).
     */
    @Option(names = "--settle-jit", defaultValue = "0.02",
            description = "...and the edge's JIT compilers took at most this share of its CPU in both windows "
                    + "(peers do not report theirs and settle on CPU alone) (default: ${DEFAULT-VALUE})")
    double settleJit;
}
