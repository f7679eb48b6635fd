package io.roomcast.bench.scenario;

import io.roomcast.bench.agent.LoadFleet;
import io.roomcast.bench.report.ReportTable;
import io.roomcast.bench.target.Target;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A warm-up that ends when the server has stopped getting cheaper: after a fixed {@code --warmup},
 * the edge's (or peer server's) CPU per delivery is measured over successive windows until two in a
 * row agree within {@code --settle-tolerance} and, for a JVM that reports it, its JIT compilers took
 * at most {@code --settle-jit} of its CPU in both; or until {@code --warmup-max} is reached. A JVM
 * still compiling its hot paths spends more CPU per delivery than it will later, so a fixed warm-up
 * can measure the compiler instead of the server. Two noisy windows can agree by chance while the
 * compiler is still busy (the edge's Kafka fetch path runs only ~100 times a second and reaches the
 * optimising compiler after a minute or more), which the JIT condition rules out.
 */
final class WarmUp {
    /**
     * One settle window.
     *
     * @param cpuPerDelivery edge/peer CPU per delivery, microseconds; infinite when nothing was delivered
     * @param jitShare       the share of the edge's CPU its JIT compilers took; NaN when the server does not say
     */
    record Window(double cpuPerDelivery, double jitShare) {
        String describe() {
            return Double.isNaN(jitShare) ? ReportTable.number(cpuPerDelivery)
                    : ReportTable.number(cpuPerDelivery) + " (JIT " + Math.round(jitShare * 100) + "%)";
        }
    }

    /**
     * @param seconds how long the warm-up took
     * @param settled whether two successive windows agreed (false: cut off at the maximum)
     * @param windows the settle windows, oldest first
     */
    record Outcome(double seconds, boolean settled, List<Window> windows) {
    }

    private WarmUp() {
    }

    /** Waits out the warm-up while {@code fleet}'s clients receive; called by the scenario's thread. */
    static Outcome run(WarmUpOptions o, Target t, LoadFleet fleet) {
        long start = System.nanoTime();
        BenchRun.pause(o.warmup);
        List<Window> windows = new ArrayList<>();
        while (System.nanoTime() - start + o.settleWindow.toNanos() <= o.warmupMax.toNanos()) {
            windows.add(window(t, fleet, o.settleWindow));
            int n = windows.size();
            if (n >= 2 && settled(windows.get(n - 2), windows.get(n - 1), o.settleTolerance, o.settleJit)) {
                return new Outcome(seconds(start), true, windows);
            }
        }
        return new Outcome(seconds(start), false, windows);
    }

    /** Whether two successive windows agree within {@code tolerance} and neither spent more than {@code jit} compiling. */
    static boolean settled(Window previous, Window current, double tolerance, double jit) {
        return settled(previous.cpuPerDelivery(), current.cpuPerDelivery(), tolerance)
                && !(previous.jitShare() > jit) && !(current.jitShare() > jit);
    }

    /** Whether two windows' CPU per delivery differ by at most {@code tolerance} of the smaller one. */
    static boolean settled(double previous, double current, double tolerance) {
        if (!(previous > 0) || !(current > 0) || Double.isInfinite(previous) || Double.isInfinite(current)) {
            return false;
        }
        return Math.abs(current - previous) <= tolerance * Math.min(previous, current);
    }

    private static Window window(Target t, LoadFleet fleet, Duration length) {
        long before = fleet.stats().events();
        double jitBefore = t.compileSeconds();
        CpuWindow cpu = CpuWindow.start(t, fleet);
        BenchRun.pause(length);
        long delivered = fleet.stats().events() - before;
        cpu.stop();
        double jit = t.compileSeconds() - jitBefore;
        double perDelivery = delivered == 0 ? Double.POSITIVE_INFINITY : cpu.front() * 1e6 / delivered;
        return new Window(perDelivery, cpu.front() > 0 ? jit / cpu.front() : Double.NaN);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
