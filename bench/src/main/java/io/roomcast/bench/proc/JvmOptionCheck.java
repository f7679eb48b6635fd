package io.roomcast.bench.proc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Asks a {@code java} binary whether it starts with some options ({@code java OPTIONS -version}),
 * so the benchmark's edge gets what {@code ./roomcast} would give it: the launcher passes the
 * native-heap trim only to a JVM that knows it (Java 17 updates before 17.0.9 do not), and so does
 * the benchmark. Any other option the JVM refuses is the user's mistake and gets a clear error
 * before anything starts.
 */
public final class JvmOptionCheck {
    static final String TRIM = "-XX:TrimNativeHeapInterval=";
    static final String UNLOCK = "-XX:+UnlockExperimentalVMOptions";
    private static final long PROBE_SECONDS = 60;

    private JvmOptionCheck() {
    }

    /** The java binary that {@link ChildProcess#java} starts. */
    public static Path thisJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /**
     * The edge's JVM options as {@code java} takes them: {@code options} unchanged when it starts
     * with them; without the trim (and the unlock of experimental options) when only the trim is
     * unknown to it, said through {@code log}. Called on the benchmark's main thread before any
     * process starts; starts one or two short JVMs.
     *
     * @throws IllegalArgumentException when the JVM refuses the options for another reason
     */
    public static List<String> edgeOptions(Path java, List<String> options, Consumer<String> log) {
        String refusal = refusal(java, options);
        if (refusal == null) {
            return options;
        }
        if (options.stream().anyMatch(o -> o.startsWith(TRIM))) {
            List<String> withoutTrim = options.stream().filter(o -> !o.startsWith(TRIM) && !o.equals(UNLOCK)).toList();
            if (refusal(java, withoutTrim) == null) {
                log.accept("this JVM does not know " + TRIM.substring(0, TRIM.length() - 1)
                        + "; the edge runs without the native-heap trim, as ./roomcast would start it");
                return withoutTrim;
            }
        }
        throw new IllegalArgumentException("--edge-jvm: " + java + " refuses " + String.join(" ", options) + ": " + refusal);
    }

    /** Null when {@code java} starts with {@code options}; otherwise what it said. */
    static String refusal(Path java, List<String> options) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(options);
        command.add("-version");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String said;
            try (InputStream in = p.getInputStream()) {
                said = new String(in.readNBytes(16 * 1024), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(PROBE_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "no answer to -version within " + PROBE_SECONDS + " s";
            }
            if (p.exitValue() == 0) {
                return null;
            }
            return said.lines().filter(l -> !l.isBlank()).findFirst().orElse("exit status " + p.exitValue());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + java, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + java + " about its options", e);
        }
    }
}
