package io.roomcast.bench.proc;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ProcTest {

    @Test
    void shouldGroupAPoolsThreadsByTheirNameWithoutTheNumber() {
        assertThat(Proc.threadGroup("XNIO-1 I/O-2")).isEqualTo("XNIO-1 I/O");
        assertThat(Proc.threadGroup("GC Thread#1")).isEqualTo("GC Thread");
        assertThat(Proc.threadGroup("roomcast-worker-12")).isEqualTo("roomcast-worker");
        assertThat(Proc.threadGroup("roomcast-live")).isEqualTo("roomcast-live");
        assertThat(Proc.threadGroup("C2 CompilerThre")).isEqualTo("C2 CompilerThre");
        assertThat(Proc.threadGroup("42")).isEqualTo("42");
    }

    @Test
    void shouldReadAStatLineWhoseNameHasSpacesAndParentheses() {
        String stat = "4242 (XNIO-1 I/O (2)) S 1 4242 4242 0 -1 4194368 100 0 0 0 250 75 0 0 20 0 40 0 12345 0 0";
        assertThat(Proc.statName(stat)).isEqualTo("XNIO-1 I/O (2)");
        assertThat(Proc.statCpuSeconds(stat)).isCloseTo(3.25, within(1e-9));
    }

    @Test
    void shouldReadThisProcesssThreadsFromProc() {
        Map<Long, Proc.ThreadCpu> threads = Proc.threadCpuSeconds(Proc.self());
        assertThat(threads).containsKey(Proc.self()); // the main thread's id is the process id
        assertThat(threads.values()).allMatch(t -> t.seconds() >= 0 && !t.group().isEmpty());
        assertThat(Proc.threadCpuSeconds(-1)).isEmpty();
    }
}
