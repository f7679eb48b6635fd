package io.roomcast.producer;

import io.roomcast.testkit.TestKafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A model producer in a child JVM on the test's class path and the test broker, its output in a
 * file: for the tests that kill or stall a producer. Closing it kills what is left of it.
 */
final class ProducerProcess implements AutoCloseable {
    private final Process process;
    private final Path output;

    private ProducerProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code ProducerCommand} with {@code --kafka}, {@code --no-log-events} and {@code args}. */
    static ProducerProcess start(String name, String... args) throws IOException {
        Path output = Files.createTempFile(name, ".log");
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ProducerCommand.class.getName(),
                "--kafka", TestKafka.bootstrapServers(), "--no-log-events"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        return new ProducerProcess(process, output);
    }

    /** What the process printed so far. */
    String output() throws IOException {
        return Files.readString(output);
    }

    /** Sends the signal {@code name} ({@code STOP}, {@code CONT}); false when {@code kill} failed. */
    boolean signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        return kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0;
    }

    /** Kills the process (SIGKILL: no cleanup, no commit); true once it is gone. */
    boolean kill() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor(10, TimeUnit.SECONDS);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            signal("CONT");
            kill();
        }
    }
}
