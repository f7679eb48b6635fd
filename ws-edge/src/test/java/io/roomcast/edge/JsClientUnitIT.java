package io.roomcast.edge;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs the JavaScript client's own unit tests ({@code node --test}) as part of {@code mvn verify}. */
class JsClientUnitIT {
    private static final Path CLIENT_JS = Path.of("..", "client-js").toAbsolutePath().normalize();

    @Test
    void shouldPassTheJavaScriptClientsUnitTests() throws Exception {
        assumeTrue(Files.isDirectory(CLIENT_JS.resolve("node_modules/ws")), "run npm ci in client-js first");
        Process node = new ProcessBuilder("node", "--test", "test/unit/").directory(CLIENT_JS.toFile())
                .redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(output).contains("# fail 0");
    }
}
