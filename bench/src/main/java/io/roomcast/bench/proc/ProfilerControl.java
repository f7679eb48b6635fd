package io.roomcast.bench.proc;

import one.profiler.AsyncProfiler;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * async-profiler inside a benchmark server child, driven over its control channel, so a profile
 * covers the measured window only. The native library comes out of the async-profiler jar on the
 * class path. Every answer is one line: {@code profile ok ...} or {@code profile error ...}.
 *
 * <p>Thread-safety: called by the control loop's thread only.
 */
final class ProfilerControl {
    private ProfilerControl() {
    }

    /** {@code start,ARGS}: e.g. {@code event=itimer,interval=1ms}. */
    static String start(String args) {
        if (!args.matches("[A-Za-z0-9=,._-]*")) {
            return "profile error: bad start arguments \"" + args + "\"";
        }
        try {
            return "profile ok " + AsyncProfiler.getInstance().execute("start," + args).trim();
        } catch (Throwable e) {
            return "profile error: " + e;
        }
    }

    /** Stops and writes {@code BASE.html} (a flame graph) and {@code BASE.collapsed} (one line per stack, for scripts). */
    static String stop(String base) {
        if (base.isBlank() || base.contains(",")) {
            return "profile error: bad output path \"" + base + "\"";
        }
        try {
            Path html = Path.of(base + ".html");
            Files.createDirectories(html.toAbsolutePath().getParent());
            AsyncProfiler profiler = AsyncProfiler.getInstance();
            profiler.execute("stop");
            profiler.execute("flamegraph,file=" + html);
            profiler.execute("collapsed,file=" + base + ".collapsed");
            return "profile ok " + html;
        } catch (Throwable e) {
            return "profile error: " + e;
        }
    }
}
