package io.roomcast.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What a result depends on besides the code: the machine, the runtimes, the commit, how busy the machine was. */
public final class Environment {
    private Environment() {
    }

    public static Map<String, Object> describe() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("cpus", Runtime.getRuntime().availableProcessors());
        env.put("cpuModel", firstMatch(Path.of("/proc/cpuinfo"), "model name"));
        env.put("memory", firstMatch(Path.of("/proc/meminfo"), "MemTotal"));
        env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        env.put("node", run(List.of("node", "--version")));
        env.put("commit", run(List.of("git", "rev-parse", "--short", "HEAD")));
        String dirty = run(List.of("git", "status", "--porcelain", "--untracked-files=no"));
        env.put("commitDirty", dirty != null && !dirty.isBlank());
        return env;
    }

    /** The 1-minute load average (processes wanting a CPU), or -1. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String firstMatch(Path file, String prefix) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The first line a short command prints, or null when it cannot run. */
    public static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out.lines().findFirst().orElse("");
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
