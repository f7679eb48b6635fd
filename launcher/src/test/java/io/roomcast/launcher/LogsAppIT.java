package io.roomcast.launcher;

import io.roomcast.edge.EdgeConfig;
import io.roomcast.edge.EdgeServer;
import io.roomcast.room.Namespaces;
import io.roomcast.shipper.LogShipper;
import io.roomcast.shipper.ShipperConfig;
import io.roomcast.shipper.SourceConfig;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The logs app in headless Chromium (client-js/test/apps/logs.mjs) on lines shipped by a real log
 * shipper from two files into two rooms: follow, new-lines, pause, levels, filter, folded stack
 * trace, permalink, time jump, last N, download, merge, a record of unexpected shape; the shipper's
 * rooms reach the room directory.
 */
class LogsAppIT {

    @Test
    void shouldFollowFilterAndLinkShippedLines(@TempDir Path dir) throws Exception {
        AppBrowser.assumeBrowser();
        String bootstrap = TestKafka.bootstrapServers();
        String roomA = "logs:" + TestNames.unique("api");
        String roomB = "logs:" + TestNames.unique("worker");
        Path a = Files.writeString(dir.resolve("api.log"), "");
        Path b = Files.writeString(dir.resolve("worker.log"), "");
        try (EdgeServer edge = EdgeServer.start(EdgeConfig.builder(bootstrap).host("127.0.0.1").port(0)
                .namespaces(Namespaces.ofDefaults()).build());
             LogShipper shipper = LogShipper.start(ShipperConfig.of(bootstrap,
                     List.of(SourceConfig.file(a.toString(), roomA), SourceConfig.file(b.toString(), roomB))))) {
            assertThat(shipper.awaitStarted(Duration.ofSeconds(60))).isTrue();
            AppBrowser.run("logs.mjs", Map.of("ROOMCAST_URL", edge.url(), "ROOM_A", roomA, "ROOM_B", roomB,
                    "LOG_FILE_A", a.toString(), "LOG_FILE_B", b.toString()), 300);
            // The shipper keeps its rooms in the room directory; the edge offers them to the apps.
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                String body = http.send(HttpRequest.newBuilder(URI.create(edge.url() + "/rooms?namespace=logs")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                return body.contains("\"room\":\"" + roomA + "\"") && body.contains("\"room\":\"" + roomB + "\"")
                        && body.contains("log-shipper ");
            });
        }
    }
}
