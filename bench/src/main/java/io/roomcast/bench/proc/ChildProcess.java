package io.roomcast.bench.proc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child process the benchmark talks to over its standard streams: one request line in, reply
 * lines out (a line starting with a known prefix), standard error into a log file. Every child
 * of the benchmark exits when its standard input closes, so none outlives the benchmark.
 *
 * <p>Thread-safety: one caller at a time; a daemon thread reads standard output into a bounded queue.
 */
public final class ChildProcess implements AutoCloseable {
    private static final int QUEUED_LINES = 10_000;

    private final String name;
    private final Process process;
    private final Writer stdin;
    /** Put after the last line when the child's output ends; compared by identity. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String END = new String("<end of output>");
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>(QUEUED_LINES);
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readStdout, "child-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code command} in {@code dir}, standard error into {@code logDir/name.log}. */
    public static ChildProcess start(String name, List<String> command, Path dir, Path logDir, Map<String, String> env) {
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(log.toFile());
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            pb.environment().putAll(env);
            return new ChildProcess(name, pb.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    /** Starts {@code mainClass} in a new JVM on this JVM's class path. */
    public static ChildProcess java(String name, Class<?> mainClass, List<String> jvmArgs, List<String> args, Path logDir) {
        List<String> cmd = new ArrayList<>();
        cmd.add(JvmOptionCheck.thisJava().toString());
        cmd.addAll(jvmArgs);
        cmd.add("-Dlogback.configurationFile=bench-logback.xml");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(args);
        return start(name, cmd, null, logDir, Map.of("ROOMCAST_LOG_LEVEL", "WARN"));
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Waits for an output line starting with {@code prefix} and returns the rest of it. */
    public String await(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
                if (line == END) {
                    lines.offer(END);
                    throw new IllegalStateException(name + " ended its output before answering \"" + prefix + "\""
                            + exited() + "; see " + log);
                }
                if (line == null) {
                    throw new IllegalStateException(name + " did not answer \"" + prefix + "\" within " + timeout
                            + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")") + "; see " + log);
                }
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length()).trim();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + name, e);
        }
    }

    /** Sends one line and waits for the reply line starting with {@code replyPrefix}. */
    public String request(String line, String replyPrefix, Duration timeout) {
        try {
            stdin.write(line);
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(name + " does not take requests any more; see " + log, e);
        }
        return await(replyPrefix, timeout);
    }

    /** CPU seconds (user + system) this process has used so far. */
    public double cpuSeconds() {
        return Proc.cpuSeconds(pid());
    }

    /** Resident set size in bytes. */
    public long rssBytes() {
        return Proc.rssBytes(pid());
    }

    private void readStdout() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!lines.offer(line)) {
                    lines.poll();
                    lines.offer(line);
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
        // a waiter learns at once that no answer will come (a JVM that refused its options, a crash)
        while (!lines.offer(END)) {
            lines.poll();
        }
    }

    private String exited() {
        try {
            return process.waitFor(2, TimeUnit.SECONDS) ? " (it exited with " + process.exitValue() + ")" : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // it may be gone already
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
