package io.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * examples/java-tail/Tail.java, compiled and run as a single-file program with this module on its class path, against
 * a scripted edge: it prints the room's last 3 events, then the new ones, and exits after the count it was given.
 */
class ExampleTailIT {

    private static final Path TAIL = Path.of("..", "examples", "java-tail", "Tail.java").toAbsolutePath().normalize();
    private final FakeLog log = new FakeLog();
    private final FakeEdge edge = new FakeEdge("a", log).start(0);
    private Process tail;

    @AfterEach
    void stop() {
        if (tail != null) {
            tail.destroyForcibly();
        }
        edge.close();
    }

    @Test
    void shouldPrintTheLastEventsThenTheNewOnes() throws Exception {
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            offsets.add(log.append("chat:tail", "message", JsonNodeFactory.instance.textNode("old " + i), null));
            log.append("chat:other", "message", JsonNodeFactory.instance.textNode("noise"), null);
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        tail = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), TAIL.toString(),
                edge.uri().toString(), "chat:tail", "3", "5").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(tail.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        while (lines.size() < 3) {
            eventLine(out, lines);
        }
        for (int i = 0; i < 2; i++) {
            offsets.add(log.append("chat:tail", "note", JsonNodeFactory.instance.textNode("new " + i), null));
        }
        while (lines.size() < 5) {
            eventLine(out, lines);
        }
        assertThat(tail.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(tail.exitValue()).isZero();
        assertThat(lines).containsExactly(
                offsets.get(2) + " message \"old 2\"",
                offsets.get(3) + " message \"old 3\"",
                offsets.get(4) + " message \"old 4\"",
                offsets.get(5) + " note \"new 0\"",
                offsets.get(6) + " note \"new 1\"");
    }

    /** Reads one line of the program's output and keeps it if it is an event line (the test's logging shares stdout). */
    private static void eventLine(BufferedReader out, List<String> lines) throws java.io.IOException {
        String line = out.readLine();
        assertThat(line).as("the program ended early").isNotNull();
        if (line.matches("^\\d+ \\S+ .*")) {
            lines.add(line);
        }
    }
}
