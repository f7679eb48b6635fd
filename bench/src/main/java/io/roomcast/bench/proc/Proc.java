package io.roomcast.bench.proc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.HashMap;

/** Per-process CPU time and resident memory read from Linux's /proc (0 where /proc is missing). */
public final class Proc {
    /** Clock ticks per second of /proc/PID/stat times; 100 on every Linux this runs on (getconf CLK_TCK). */
    private static final double TICKS = 100.0;

    private Proc() {
    }

    /** utime + stime of {@code pid} in seconds. */
    public static double cpuSeconds(long pid) {
        try {
            return statCpuSeconds(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** One thread's CPU so far: its name without its number ({@link #threadGroup}) and utime + stime in seconds. */
    public record ThreadCpu(String group, double seconds) {
    }

    /**
     * Each thread of {@code pid} by thread id, with its CPU so far; empty where /proc is missing.
     * Compare two readings thread by thread: a pool's threads come and go.
     */
    public static Map<Long, ThreadCpu> threadCpuSeconds(long pid) {
        Map<Long, ThreadCpu> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                threads.put(Long.parseLong(task.getFileName().toString()), new ThreadCpu(threadGroup(statName(stat)), statCpuSeconds(stat)));
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return threads;
    }

    /**
     * A thread's name without its number, so that a pool's threads add up: {@code XNIO-1 I/O-2} →
     * {@code XNIO-1 I/O}, {@code GC Thread#0} → {@code GC Thread}, {@code roomcast-live} unchanged.
     * Linux keeps the first 15 bytes of a thread's name.
     */
    static String threadGroup(String name) {
        String group = name.replaceFirst("[-#_ ]?\\d+$", "");
        return group.isEmpty() ? name : group;
    }

    /** The command name of a /proc stat line: in parentheses, and it may contain spaces and parentheses. */
    static String statName(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    /** utime + stime of a /proc stat line, in seconds. */
    static double statCpuSeconds(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
    }

    /** VmRSS of {@code pid} in bytes. */
    public static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    public static long self() {
        return ProcessHandle.current().pid();
    }
}
