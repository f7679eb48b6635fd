package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.edge.presence.PresenceConfig;
import io.roomcast.room.Namespaces;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * "Who is here" in the chat app, in headless Chromium on a real edge and Kafka
 * ({@code client-js/test/apps/chat-presence.mjs}): two pages see each other by name, a rename reaches the other page,
 * and closing a page makes it leave the other's list. Needs Debian's chromium and {@code npm ci} in client-js.
 */
class ChatPresenceBrowserIT {
    private static final Path CLIENT_JS = Path.of("..", "client-js").toAbsolutePath().normalize();

    @Test
    void shouldShowWhoIsHereAndTheLeaveOfAClosedPage() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "Debian chromium is not installed");
        assumeTrue(Files.isDirectory(CLIENT_JS.resolve("node_modules/playwright-core")), "run npm ci in client-js first");
        Namespaces namespaces = EdgeFixture.isolatedNamespaces();
        String room = "chat:" + TestNames.unique("here");
        PresenceConfig presence = PresenceConfig.ofDefaults().withTopic(TestNames.unique("t") + ".presence");
        try (EdgeServer edge = EdgeFixture.start(namespaces, b -> b.presence(presence))) {
            ProcessBuilder pb = new ProcessBuilder("node", "test/apps/chat-presence.mjs").directory(CLIENT_JS.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().put("ROOMCAST_URL", edge.url());
            pb.environment().put("ROOMCAST_ROOM", room);
            pb.environment().put("SCREENSHOTS", Path.of("target", "screenshots").toAbsolutePath().toString());
            Process node = pb.start();
            try {
                String last = null;
                try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        last = line;
                    }
                }
                assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
                JsonNode result = new ObjectMapper().readTree(last);
                assertThat(result.path("ok").asBoolean()).as(String.valueOf(result)).isTrue();
                assertThat(result.path("seen").toString()).isEqualTo("[\"alice\"]");
            } finally {
                node.destroyForcibly();
            }
        }
    }
}
