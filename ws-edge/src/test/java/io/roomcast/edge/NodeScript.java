package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Node.js test script driven line by line: it prints one JSON line when its page is ready, then
 * answers each command written to its stdin with one JSON line (client-js/test/browser/reconnect.mjs,
 * ws-edge/src/test/js/eventsource.mjs). Closing kills it.
 */
final class NodeScript implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process node;
    private final BufferedReader out;
    private final Writer in;

    private NodeScript(Process node) {
        this.node = node;
        this.out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Starts {@code script} in {@code directory} and waits for its ready line, asserting it is {@code ok}. */
    static NodeScript start(Path directory, String script, Map<String, String> environment) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("node", script).directory(directory.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(environment);
        NodeScript s = new NodeScript(pb.start());
        try {
            JsonNode ready = s.readLine("the ready line");
            assertThat(ready.path("ok").asBoolean()).as("page ready: " + ready).isTrue();
            return s;
        } catch (IOException | RuntimeException | AssertionError e) {
            s.close();
            throw e;
        }
    }

    /** Sends one command and returns the script's answer. */
    JsonNode command(String command) throws IOException {
        in.write(command + "\n");
        in.flush();
        return readLine("answer to " + command);
    }

    private JsonNode readLine(String what) throws IOException {
        String line = out.readLine();
        assertThat(line).as(what).isNotNull();
        return JSON.readTree(line);
    }

    @Override
    public void close() {
        node.destroyForcibly();
    }
}
