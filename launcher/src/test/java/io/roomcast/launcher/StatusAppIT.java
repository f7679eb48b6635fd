package io.roomcast.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.edge.EdgeConfig;
import io.roomcast.edge.EdgeServer;
import io.roomcast.edge.status.StatusReporter;
import io.roomcast.producer.ModelProducer;
import io.roomcast.producer.ModelProducerConfig;
import io.roomcast.room.Namespace;
import io.roomcast.room.Namespaces;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status app in headless Chromium (client-js/test/apps/status.mjs): two edges report into
 * {@code sys:edges} and both show as up; one is stopped and shows as gone; publishing into the
 * system room is refused; a model producer's card from {@code sys:producers}; the landing page at phone width.
 */
class StatusAppIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldShowTwoEdgesThenOneGone() throws Exception {
        AppBrowser.assumeBrowser();
        String prefix = TestNames.unique("t") + ".";
        // A system namespace of this test's own, so other tests' edges do not report into it.
        Namespaces namespaces = Namespaces.of(
                new Namespace("chat", prefix + "chat", 1, Duration.ofDays(1), 100),
                new Namespace(Namespace.DEFAULT_NAME, prefix + "events", 1, Duration.ofDays(1), 100));
        String bootstrap = TestKafka.bootstrapServers();
        EdgeConfig.Builder config = EdgeConfig.builder(bootstrap).host("127.0.0.1").port(0).namespaces(namespaces)
                .statusInterval(Duration.ofMillis(500));
        try (EdgeServer a = EdgeServer.start(config.build());
             ModelProducer producer = ModelProducer.start(ModelProducerConfig.builder(bootstrap)
                     .namespaceTopics(Map.of("chat", prefix + "chat")).partitions(1)
                     .logs(prefix + "logs", "logs:model-producer", true).groupId(TestNames.unique("group")).build())) {
            EdgeServer b = EdgeServer.start(config.build());
            Process node = null;
            try {
                node = AppBrowser.start("status.mjs", Map.of("ROOMCAST_URL", a.url(), "EDGE_B", StatusReporter.edgeName(b.port())));
                BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
                Writer in = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);
                JsonNode first = JSON.readTree(out.readLine());
                assertThat(first.path("step").asText()).as(first.toString()).isEqualTo("two-up");
                b.close();
                in.write("stopped\n");
                in.close();
                String last = null;
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    last = line;
                }
                assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
                JsonNode result = JSON.readTree(last);
                assertThat(result.path("ok").asBoolean()).as(result.toString()).isTrue();
            } finally {
                if (node != null) {
                    node.destroyForcibly();
                }
                b.close();
            }
        }
    }
}
