package io.roomcast.bench.proc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProfilerControlTest {
    @Test
    void shouldRefuseArgumentsThatWouldSmuggleInOtherProfilerCommands() {
        assertThat(ProfilerControl.start("event=itimer;rm -rf /")).startsWith("profile error: bad start arguments");
        assertThat(ProfilerControl.start("event=itimer file=/etc/x")).startsWith("profile error: bad start arguments");
    }

    @Test
    void shouldRefuseAMissingOrCommaSeparatedOutputPath() {
        assertThat(ProfilerControl.stop("")).startsWith("profile error: bad output path");
        assertThat(ProfilerControl.stop("/tmp/x,file=/etc/passwd")).startsWith("profile error: bad output path");
    }
}
