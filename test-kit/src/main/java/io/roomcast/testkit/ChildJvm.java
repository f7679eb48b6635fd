package io.roomcast.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM a test starts on its own class path (the java that runs the test), standard output and
 * error in a file: for the tests that kill a process with SIGKILL, stop it with SIGTERM, freeze
 * it with SIGSTOP, or read what it printed. Closing it kills what is left of it (after a SIGCONT, so a stopped process
 * dies too). Used by the test's thread.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path output;

    private ChildJvm(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /**
     * Starts {@code mainClass} with {@code jvmOptions} and {@code args}; its output goes to a new
     * temporary file named after {@code name}.
     */
    public static ChildJvm start(String name, List<String> jvmOptions, String mainClass, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        Path output = Files.createTempFile(name, ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        return new ChildJvm(process, output);
    }

    /** What the process printed so far. */
    public String output() throws IOException {
        return Files.readString(output);
    }

    /** Sends the signal {@code name} ({@code STOP}, {@code CONT}); false when {@code kill} failed. */
    public boolean signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        return kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0;
    }

    /** Stops the process with SIGTERM (its shutdown hooks run); true once it is gone. */
    public boolean stop() throws InterruptedException {
        process.destroy();
        return process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Kills the process with SIGKILL (no shutdown hook, no flush, no goodbye); true once it is gone. */
    public boolean kill() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor(30, TimeUnit.SECONDS);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (process.isAlive()) {
            signal("CONT");
            kill();
        }
    }
}
