package io.roomcast.edge;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs the unit tests of the apps' pure modules (answer assembly, log store) with {@code node --test}. */
class AppsUnitIT {
    private static final Path CLIENT_JS = Path.of("..", "client-js").toAbsolutePath().normalize();

    @Test
    void shouldPassTheAppsUnitTests() throws Exception {
        assumeTrue(Files.isDirectory(CLIENT_JS.resolve("node_modules")), "run npm ci in client-js first");
        Process node = new ProcessBuilder("node", "--test", "test/apps/answers.test.mjs", "test/apps/logstore.test.mjs")
                .directory(CLIENT_JS.toFile()).redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(output).contains("# fail 0");
    }
}
