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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The logs app in headless Chromium (client-js/test/apps/logs.mjs) on lines shipped by a real log
 * shipper from two files into two rooms: follow, new-lines, pause, levels, filter, folded stack
 * trace, permalink, time jump, last N, download, merge, a record of unexpected shape.
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
        }
    }
}
