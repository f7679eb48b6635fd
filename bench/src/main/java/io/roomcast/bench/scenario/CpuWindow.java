package io.roomcast.bench.scenario;

import io.roomcast.bench.agent.LoadFleet;
import io.roomcast.bench.proc.Proc;
import io.roomcast.bench.target.Target;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU seconds used by each server process and by the load generator over a stretch of wall time.
 * A hook may run at its end (the profiler's stop), after the CPU times were read.
 */
final class CpuWindow {
    private final Target target;
    private final LoadFleet fleet;
    private final Runnable onStop;
    private final Map<String, Double> serverStart;
    private final Map<Long, Proc.ThreadCpu> frontThreadsStart;
    private final double loadStart;
    private final long startNanos;
    private Map<String, Double> server;
    private Map<String, Double> frontThreads;
    private double load;
    private double seconds;

    private CpuWindow(Target target, LoadFleet fleet, Runnable onStop) {
        this.target = target;
        this.fleet = fleet;
        this.onStop = onStop;
        this.serverStart = target.cpuSeconds();
        this.frontThreadsStart = target.frontThreadCpuSeconds();
        this.loadStart = fleet == null ? 0 : fleet.cpuSeconds();
        this.startNanos = System.nanoTime();
    }

    static CpuWindow start(Target target, LoadFleet fleet) {
        return new CpuWindow(target, fleet, () -> { });
    }

    /** A window that runs {@code onStop} when it ends, after reading the CPU times. */
    static CpuWindow start(Target target, LoadFleet fleet, Runnable onStop) {
        return new CpuWindow(target, fleet, onStop);
    }

    CpuWindow stop() {
        seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Double> end = target.cpuSeconds();
        server = new LinkedHashMap<>();
        end.forEach((role, v) -> server.put(role, v - serverStart.getOrDefault(role, 0.0)));
        frontThreads = new LinkedHashMap<>();
        // Thread by thread: one that started in the window counts whole, one that ended loses only its share of it.
        target.frontThreadCpuSeconds().forEach((tid, now) -> {
            Proc.ThreadCpu start = frontThreadsStart.get(tid);
            frontThreads.merge(now.group(), now.seconds() - (start == null ? 0 : start.seconds()), Double::sum);
        });
        load = fleet == null ? 0 : fleet.cpuSeconds() - loadStart;
        onStop.run();
        return this;
    }

    double seconds() {
        return seconds;
    }

    /** CPU seconds of one role ({@code edge}, {@code kafka}, {@code server}), NaN when the system has no such process. */
    double role(String role) {
        return server.getOrDefault(role, Double.NaN);
    }

    /** The process serving WebSockets: the edge, or the peer's server. */
    double front() {
        return server.containsKey("edge") ? server.get("edge") : server.getOrDefault("server", Double.NaN);
    }

    /** CPU seconds of the front process's threads in the window, by thread name without its number (see {@code Proc.threadGroup}). */
    Map<String, Double> frontThreads() {
        return frontThreads;
    }

    double total() {
        return server.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    double load() {
        return load;
    }
}
