package io.roomcast.bench.scenario;

import io.roomcast.bench.agent.LoadFleet;
import io.roomcast.bench.target.Target;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A warm-up that ends when the server has stopped getting cheaper: after a fixed {@code --warmup},
 * the edge's (or peer server's) CPU per delivery is measured over successive windows until two in a
 * row agree within {@code --settle-tolerance}, or {@code --warmup-max} is reached. A JVM still
 * compiling its hot paths (or a JavaScript engine still optimising) spends more CPU per delivery
 * than it will later, so a fixed warm-up can measure the compiler instead of the server.
 */
final class WarmUp {
    /**
     * @param seconds        how long the warm-up took
     * @param settled        whether two successive windows agreed (false: cut off at the maximum)
     * @param cpuPerDelivery the windows' CPU per delivery in microseconds, oldest first
     */
    record Outcome(double seconds, boolean settled, List<Double> cpuPerDelivery) {
    }

    private WarmUp() {
    }

    /** Waits out the warm-up while {@code fleet}'s clients receive; called by the scenario's thread. */
    static Outcome run(WarmUpOptions o, Target t, LoadFleet fleet) {
        long start = System.nanoTime();
        BenchRun.pause(o.warmup);
        List<Double> windows = new ArrayList<>();
        while (System.nanoTime() - start + o.settleWindow.toNanos() <= o.warmupMax.toNanos()) {
            windows.add(cpuPerDelivery(t, fleet, o.settleWindow));
            int n = windows.size();
            if (n >= 2 && settled(windows.get(n - 2), windows.get(n - 1), o.settleTolerance)) {
                return new Outcome(seconds(start), true, windows);
            }
        }
        return new Outcome(seconds(start), false, windows);
    }

    /** Whether two windows' CPU per delivery differ by at most {@code tolerance} of the smaller one. */
    static boolean settled(double previous, double current, double tolerance) {
        if (!(previous > 0) || !(current > 0) || Double.isInfinite(previous) || Double.isInfinite(current)) {
            return false;
        }
        return Math.abs(current - previous) <= tolerance * Math.min(previous, current);
    }

    /** Microseconds of edge/peer CPU per delivery over one window; infinite when nothing was delivered. */
    private static double cpuPerDelivery(Target t, LoadFleet fleet, Duration window) {
        long before = fleet.stats().events();
        CpuWindow cpu = CpuWindow.start(t, fleet);
        BenchRun.pause(window);
        long delivered = fleet.stats().events() - before;
        cpu.stop();
        return delivered == 0 ? Double.POSITIVE_INFINITY : cpu.front() * 1e6 / delivered;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
