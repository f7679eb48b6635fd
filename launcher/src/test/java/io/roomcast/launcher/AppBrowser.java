package io.roomcast.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs one of the apps' browser tests (client-js/test/apps/*.mjs, headless Debian Chromium through
 * playwright-core) against a running edge and returns its result line. Screenshots go to
 * target/screenshots. Skipped (assumption) without /usr/bin/chromium or {@code npm ci} in client-js.
 */
final class AppBrowser {
    static final Path CLIENT_JS = Path.of("..", "client-js").toAbsolutePath().normalize();
    static final Path SCREENSHOTS = Path.of("target", "screenshots").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    private AppBrowser() {
    }

    static void assumeBrowser() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "Debian chromium is not installed");
        assumeTrue(Files.isDirectory(CLIENT_JS.resolve("node_modules/playwright-core")), "run npm ci in client-js first");
    }

    /** Starts {@code script} with the environment; the caller reads its result with {@link #result}. */
    static Process start(String script, Map<String, String> environment) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("node", "test/apps/" + script).directory(CLIENT_JS.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("SCREENSHOTS", SCREENSHOTS.toString());
        pb.environment().putAll(environment);
        return pb.start();
    }

    /** Waits for the script's end and returns its last stdout line, asserting it passed. */
    static JsonNode result(Process node, long timeoutSeconds) throws Exception {
        try {
            boolean ended = node.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(ended).as("browser test ended in time").isTrue();
            List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).as("browser test printed a result").isNotEmpty();
            JsonNode result = JSON.readTree(lines.get(lines.size() - 1));
            assertThat(result.path("ok").asBoolean()).as("browser test: " + result).isTrue();
            assertThat(node.exitValue()).isZero();
            return result;
        } finally {
            node.destroyForcibly();
        }
    }

    static JsonNode run(String script, Map<String, String> environment, long timeoutSeconds) throws Exception {
        return result(start(script, environment), timeoutSeconds);
    }
}
