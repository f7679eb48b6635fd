package io.roomcast.bench.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Per-process CPU time and resident memory read from Linux's /proc (0 where /proc is missing). */
public final class Proc {
    /** Clock ticks per second of /proc/PID/stat times; 100 on every Linux this runs on (getconf CLK_TCK). */
    private static final double TICKS = 100.0;

    private Proc() {
    }

    /** utime + stime of {@code pid} in seconds. */
    public static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command name, which is in parentheses and may contain spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
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
