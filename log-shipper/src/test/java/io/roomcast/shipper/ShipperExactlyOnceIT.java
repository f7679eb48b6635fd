package io.roomcast.shipper;

import io.roomcast.testkit.ChildJvm;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipper's promise under the worst a log file and a process can go through: 100,000 lines
 * written while the file is rotated twice by rename and once by copytruncate, with the shipper
 * (a real child JVM running {@link ShipperCommand}) killed with SIGKILL twice in between.
 * Kafka must hold every line exactly once, in order per file.
 */
class ShipperExactlyOnceIT {
    private static final int LINES = 100_000;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final String room = "logs:" + TestNames.unique("eo");
    private final String topic = TestNames.unique("shipper-eo");
    private final List<ChildJvm> children = new ArrayList<>();
    private Path log;
    private Path config;

    @AfterEach
    void tearDown() throws Exception {
        for (ChildJvm child : children) {
            child.close();
        }
    }

    @Test
    void shouldShipEveryLineExactlyOnceThroughRotationsTruncationAndKills() throws Exception {
        log = dir.resolve("app.log");
        config = writeConfig();
        try (ShippedRoom shipped = new ShippedRoom(TestKafka.bootstrapServers(), topic, room)) {
            ChildJvm first = startShipper();
            write(1, 20_000);
            shipped.awaitAtLeast(5_000, WAIT);
            killHard(first);

            Files.move(log, dir.resolve("app.log.1")); // rotation 1, while no shipper runs
            write(20_001, 40_000);
            startShipper();
            shipped.awaitAtLeast(30_000, WAIT);

            Files.move(log, dir.resolve("app.log.2")); // rotation 2, under a running shipper
            write(40_001, 60_000);
            shipped.awaitAtLeast(60_000, WAIT); // copytruncate loses what is not shipped yet: that is its nature

            Files.createDirectories(dir.resolve("backup"));
            Files.copy(log, dir.resolve("backup").resolve("app.log.copy"));
            try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
                channel.truncate(0);
            }
            write(60_001, 65_000); // shorter than before, so the truncation is seen before it is outgrown
            shipped.awaitAtLeast(65_000, WAIT);

            Thread writer = new Thread(() -> write(65_001, LINES), "eo-writer");
            writer.start();
            shipped.awaitAtLeast(75_000, WAIT);
            killHard(children.get(1));
            ChildJvm last = startShipper();
            writer.join();

            shipped.awaitAtLeast(LINES, WAIT);
            assertThat(last.stop()).as("a clean stop (SIGTERM)").isTrue();

            assertExactlyOnceInOrderPerFile(shipped.readToEnd());
        }
    }

    private static void assertExactlyOnceInOrderPerFile(List<ShippedRoom.Shipped> all) {
        List<Integer> numbers = all.stream().map(r -> number(r.line())).toList();
        assertThat(numbers).as("every line exactly once").hasSize(LINES).doesNotHaveDuplicates();
        assertThat(numbers.stream().mapToInt(Integer::intValue).summaryStatistics())
                .satisfies(s -> assertThat(s.getMin()).isEqualTo(1))
                .satisfies(s -> assertThat(s.getMax()).isEqualTo(LINES));
        Map<String, List<Integer>> perFile = all.stream().collect(Collectors.groupingBy(ShippedRoom.Shipped::src,
                Collectors.mapping(r -> number(r.line()), Collectors.toList())));
        assertThat(perFile).as("three files: the two rotated ones and the truncated one").hasSize(3);
        perFile.values().forEach(lines -> assertThat(lines).isSorted());
    }

    private static int number(String line) {
        return Integer.parseInt(line.substring("line-".length(), "line-".length() + 6));
    }

    private void write(int from, int to) {
        StringBuilder chunk = new StringBuilder();
        for (int i = from; i <= to; i++) {
            chunk.append(String.format("line-%06d 2025-01-07 12:00:00,000 INFO [main] c.e.Load - some payload text%n", i));
            if (i % 500 == 0 || i == to) {
                ShipperFixture.appendRaw(log, chunk.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                chunk.setLength(0);
            }
        }
    }

    private Path writeConfig() throws IOException {
        Path file = dir.resolve("shipper.json");
        Files.writeString(file, """
                {"kafka": "%s", "host": "eo-host",
                 "sources": [{"room": "%s", "file": "%s", "topic": "%s", "multiline": "none"}],
                 "settings": {"pollInterval": "20ms", "scanInterval": "100ms", "rotateWait": "500ms",
                              "partialLineTimeout": "1s", "multilineTimeout": "200ms"}}
                """.formatted(TestKafka.bootstrapServers(), room, dir.resolve("app.log*"), topic));
        return file;
    }

    private ChildJvm startShipper() throws IOException {
        ChildJvm child = ChildJvm.start("shipper-" + children.size(), List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"),
                ShipperCommand.class.getName(), List.of("--config", config.toString()));
        children.add(child);
        return child;
    }

    private static void killHard(ChildJvm child) throws InterruptedException {
        assertThat(child.kill()).as("SIGKILL: no shutdown hook, no flush, no goodbye").isTrue();
    }
}
