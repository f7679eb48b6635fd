package io.roomcast.bench.target;

import io.roomcast.bench.proc.ChildProcess;
import io.roomcast.bench.proc.Proc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One system under test, running in child processes: Roomcast (a Kafka broker and an edge) or a
 * peer server. Says where clients connect, in which dialect, how to publish into it and what it
 * can do.
 */
public interface Target extends AutoCloseable {
    /** {@code roomcast}, {@code ws}, {@code bun} or {@code socketio}. */
    String name();

    /** The load generator's dialect: {@code roomcast} or {@code socketio}. */
    String dialect();

    String host();

    int port();

    /** The server processes, by role ({@code edge}, {@code kafka}; {@code server} for a peer). */
    Map<String, ChildProcess> processes();

    /** A new publisher into this system. */
    EventSink sink();

    /** Whether a reconnecting client gets what it missed. */
    boolean canResume();

    /** Whether a client can read a room's history from the beginning. */
    boolean canReplay();

    /** The room names for {@code count} rooms of this run. */
    default List<String> rooms(int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> "bench-r" + i).toList();
    }

    /** CPU seconds used so far, per process role. */
    default Map<String, Double> cpuSeconds() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        processes().forEach((role, p) -> cpu.put(role, p.cpuSeconds()));
        return cpu;
    }

    /**
     * CPU seconds so far of each thread of the process serving WebSockets (the {@code edge}, or the
     * peer's {@code server}), by thread id; empty when there is no such process.
     */
    default Map<Long, Proc.ThreadCpu> frontThreadCpuSeconds() {
        ChildProcess front = processes().containsKey("edge") ? processes().get("edge") : processes().get("server");
        return front == null ? Map.of() : Proc.threadCpuSeconds(front.pid());
    }

    /** Resident memory per process role, bytes. */
    default Map<String, Long> rssBytes() {
        Map<String, Long> rss = new LinkedHashMap<>();
        processes().forEach((role, p) -> rss.put(role, p.rssBytes()));
        return rss;
    }

    /**
     * Seconds the JIT compilers of the process serving WebSockets have spent so far; NaN when it
     * does not say (the peers' JavaScript engines).
     */
    default double compileSeconds() {
        return Double.NaN;
    }

    /** Heap (JavaScript heap for peers) in use after a full GC, bytes, of the process that serves WebSockets. */
    long heapAfterGc();

    @Override
    void close();
}
