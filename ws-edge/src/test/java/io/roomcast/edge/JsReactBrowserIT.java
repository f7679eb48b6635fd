package io.roomcast.edge;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the React bindings' browser tests ({@code client-js/test/react/browser.mjs}: React from npm bundled by the
 * pinned esbuild, in headless Chromium) as part of {@code mvn verify}. Needs Debian's chromium and {@code npm ci} in
 * client-js (.ci/run does both).
 */
class JsReactBrowserIT {
    private static final Path CLIENT_JS = Path.of("..", "client-js").toAbsolutePath().normalize();

    @Test
    void shouldPassTheReactBindingsBrowserTests() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "Debian chromium is not installed");
        assumeTrue(Files.isDirectory(CLIENT_JS.resolve("node_modules/react")), "run npm ci in client-js first");
        Process node = new ProcessBuilder("node", "test/react/browser.mjs").directory(CLIENT_JS.toFile())
                .redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(output).contains("# all passed").doesNotContain("not ok");
    }
}
