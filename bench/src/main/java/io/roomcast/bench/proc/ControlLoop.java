package io.roomcast.bench.proc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;

/**
 * The standard-input protocol of a benchmark server child: {@code heap} answers
 * {@code heap USED COMMITTED} (bytes, after a full GC); {@code jit MILLIS} answers the time this JVM's
 * JIT compilers have spent so far ({@code -1} if it does not say); {@code profile-start ARGS} and
 * {@code profile-stop PATH_BASE} drive async-profiler ({@link ProfilerControl}); end of input means stop.
 */
public final class ControlLoop {
    private ControlLoop() {
    }

    /**
     * Blocks until standard input ends, then starts a watchdog that halts the JVM if stopping
     * takes longer than {@code stopGrace} (a stuck shutdown must not leave an orphan behind).
     */
    public static void run(java.time.Duration stopGrace) throws IOException {
        try {
            readCommands();
            System.err.println(java.time.LocalTime.now() + " control input ended; stopping");
        } catch (IOException | RuntimeException e) {
            System.err.println(java.time.LocalTime.now() + " control input failed (" + e + "); stopping");
            throw e;
        } finally {
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(stopGrace.toMillis());
                } catch (InterruptedException ignored) {
                    // halting anyway
                }
                System.err.println("stopping took longer than " + stopGrace + "; halting");
                Runtime.getRuntime().halt(3);
            }, "stop-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
        }
    }

    private static void readCommands() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String cmd = line.trim();
            if (cmd.startsWith("profile-start")) {
                reply(ProfilerControl.start(cmd.substring("profile-start".length()).trim()));
            } else if (cmd.startsWith("profile-stop")) {
                reply(ProfilerControl.stop(cmd.substring("profile-stop".length()).trim()));
            } else if (cmd.equals("heap")) {
                System.gc();
                System.gc();
                MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                reply("heap " + heap.getUsed() + " " + heap.getCommitted());
            } else if (cmd.equals("jit")) {
                CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
                reply("jit " + (jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1));
            } else if (!cmd.isEmpty()) {
                reply("error unknown command \"" + cmd + "\" (heap, jit, profile-start ARGS, profile-stop PATH_BASE)");
            }
        }
    }

    private static void reply(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
