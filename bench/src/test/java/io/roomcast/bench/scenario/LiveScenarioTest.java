package io.roomcast.bench.scenario;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LiveScenarioTest {
    @Test
    void shouldGiveEachLiveScenarioItsOwnDefaults() {
        TokensCommand tokens = parse(new TokensCommand());
        assertThat(tokens.rooms * tokens.subscribers * tokens.rate / tokens.rooms).as("deliveries/s").isEqualTo(60_000);
        assertThat(tokens.rate / tokens.rooms).as("tokens/s per room").isEqualTo(30);
        assertThat(tokens.common.payloadBytes).isEqualTo(48);
        BroadcastCommand broadcast = parse(new BroadcastCommand());
        assertThat(broadcast.rooms).isEqualTo(1);
        assertThat(broadcast.subscribers).isEqualTo(10_000);
        assertThat(broadcast.rate).isEqualTo(10);
        assertThat(broadcast.common.payloadBytes).isEqualTo(64);
        FanoutCommand fanout = parse(new FanoutCommand());
        assertThat(fanout.rooms * fanout.subscribers).isEqualTo(2_000);
        assertThat(fanout.rate).isEqualTo(100);
        assertThat(fanout.common.repeat).isEqualTo(1);
        assertThat(fanout.warmUp.warmupMax).isEqualTo(Duration.ofSeconds(240));
        assertThat(fanout.warmUp.settleJit).isEqualTo(0.02);
    }

    @Test
    void shouldLetOptionsOverrideTheScenarioDefaults() {
        TokensCommand tokens = parse(new TokensCommand(), "--rooms", "7", "--payload-bytes", "100", "--repeat", "3");
        assertThat(tokens.rooms).isEqualTo(7);
        assertThat(tokens.subscribers).isEqualTo(20);
        assertThat(tokens.common.payloadBytes).isEqualTo(100);
        assertThat(tokens.common.repeat).isEqualTo(3);
    }

    @Test
    void shouldSettleOnlyWhenTwoWindowsAgreeWithinTheTolerance() {
        assertThat(WarmUp.settled(10.0, 10.4, 0.05)).isTrue();
        assertThat(WarmUp.settled(10.4, 10.0, 0.05)).isTrue();
        assertThat(WarmUp.settled(10.0, 11.0, 0.05)).as("still getting cheaper").isFalse();
        assertThat(WarmUp.settled(0, 0, 0.05)).as("no CPU measured is no evidence").isFalse();
        assertThat(WarmUp.settled(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 0.05)).as("nothing delivered").isFalse();
        assertThat(WarmUp.settled(Double.NaN, 1, 0.05)).isFalse();
    }

    @Test
    void shouldNotSettleWhileTheJitCompilerIsBusy() {
        WarmUp.Window quiet = new WarmUp.Window(10.0, 0.01);
        assertThat(WarmUp.settled(quiet, new WarmUp.Window(10.2, 0.015), 0.05, 0.02)).isTrue();
        assertThat(WarmUp.settled(quiet, new WarmUp.Window(10.2, 0.3), 0.05, 0.02)).as("compiling now").isFalse();
        assertThat(WarmUp.settled(new WarmUp.Window(10.2, 0.3), quiet, 0.05, 0.02)).as("compiling in the window before").isFalse();
        assertThat(WarmUp.settled(new WarmUp.Window(10.0, Double.NaN), new WarmUp.Window(10.1, Double.NaN), 0.05, 0.02))
                .as("a server that does not report its compiler settles on CPU alone").isTrue();
        assertThat(WarmUp.settled(quiet, new WarmUp.Window(12.0, 0.0), 0.05, 0.02)).as("CPU still moving").isFalse();
    }

    private static <T> T parse(T command, String... args) {
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void shouldRefuseEmptyShapesAndZeroRepeatsBeforeStartingAnything() {
        assertThat(new CommandLine(new TokensCommand()).execute("--rooms", "0")).isNotZero();
        assertThat(new CommandLine(new BroadcastCommand()).execute("--repeat", "0")).isNotZero();
        assertThat(new CommandLine(new FanoutCommand()).execute("--rate", "lots")).isNotZero();
    }
}
