package io.roomcast.bench.proc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoomcastJvmOptionsTest {
    @Test
    void shouldReadOptionsAroundCommentsAndBlankLines() {
        assertThat(RoomcastJvmOptions.parse("""
                # why
                -XX:+ExitOnOutOfMemoryError   # after an option
                \t
                -Xss512k  -XX:+UseParallelGC\r
                -Xmn24m#no space before it""")).containsExactly("-XX:+ExitOnOutOfMemoryError", "-Xss512k", "-XX:+UseParallelGC", "-Xmn24m");
        assertThat(RoomcastJvmOptions.parse("")).isEmpty();
        assertThat(RoomcastJvmOptions.parse("# only\n\n   \n")).isEmpty();
    }

    @Test
    void shouldRefuseQuotingTheLauncherWouldNotHonour() {
        assertThatThrownBy(() -> RoomcastJvmOptions.parse("-Dname=\"a b\""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quoted");
    }

    @Test
    void shouldStartTheBenchmarksEdgeAsTheLauncherStartsEveryProcess() {
        assertThat(RoomcastJvmOptions.load()).contains("-XX:+ExitOnOutOfMemoryError", "-XX:+UseParallelGC", "-Xmn24m",
                "-XX:MetaspaceSize=128m", "-XX:TrimNativeHeapInterval=5000");
        assertThat(JvmOptionCheck.edgeOptions(JvmOptionCheck.thisJava(), RoomcastJvmOptions.load(), s -> { })).isNotEmpty();
    }
}
