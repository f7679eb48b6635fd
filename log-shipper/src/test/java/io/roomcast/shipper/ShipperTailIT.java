package io.roomcast.shipper;

import io.roomcast.testkit.TestKafka;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.roomcast.shipper.ShipperFixture.append;
import static io.roomcast.shipper.ShipperFixture.appendRaw;
import static io.roomcast.shipper.ShipperFixture.numbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ShipperTailIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final ShipperFixture fixture = new ShipperFixture(TestKafka.bootstrapServers());

    @AfterEach
    void tearDown() {
        fixture.stopShippers();
    }

    private SourceConfig source(String pattern) {
        return SourceConfig.file(dir.resolve(pattern).toString(), fixture.room);
    }

    private static List<String> lines(List<ShippedRoom.Shipped> records) {
        return records.stream().map(ShippedRoom.Shipped::line).toList();
    }

    @Test
    void shouldShipOneEventPerRecordWithParsedFieldsAndPositionHeaders() throws Exception {
        Path log = dir.resolve("app.log");
        String first = "2025-01-07 12:00:00,001 INFO  [main] c.e.Api - starting";
        append(log, first,
                "2025-01-07 12:00:01,120 ERROR [main] c.e.Api - request failed",
                "java.lang.IllegalStateException: boom",
                "\tat c.e.Api.handle(Api.java:42)",
                "{\"@timestamp\":\"2025-01-07T12:00:02Z\",\"level\":\"WARN\",\"logger_name\":\"json\",\"message\":\"m\"}");
        fixture.start(source("app.log"));

        List<ShippedRoom.Shipped> records = fixture.room().awaitAtLeast(3, WAIT);

        assertThat(records).hasSize(3);
        LogRecordEvent start = records.get(0).event();
        assertThat(start).isEqualTo(new LogRecordEvent(first, "INFO", "2025-01-07T12:00:00.001Z", "c.e.Api", "main", null,
                new LogRecordEvent.Source(log.toString(), "test-host", 0L, 1L)));
        LogRecordEvent error = records.get(1).event();
        assertThat(error.line()).endsWith("request failed\njava.lang.IllegalStateException: boom\n\tat c.e.Api.handle(Api.java:42)");
        assertThat(error.level()).isEqualTo("ERROR");
        assertThat(error.source().offset()).isEqualTo(first.length() + 1L);
        assertThat(error.source().lineNo()).isEqualTo(2L);
        assertThat(records.get(2).event().level()).isEqualTo("WARN");
        assertThat(records.get(2).event().logger()).isEqualTo("json");
        assertThat(records).allSatisfy(r -> {
            assertThat(r.type()).isEqualTo("log");
            assertThat(r.src()).isEqualTo(FileIdentity.of(log).key());
        });
        assertThat(records.get(2).pos()).isEqualTo(Files.size(log));
    }

    @Test
    void shouldFollowRotationByRenameLateWritesAndNewFilesOfThePattern() throws Exception {
        Path a = dir.resolve("a.log");
        append(a, numbered("a-", 1, 100));
        fixture.start(source("*.log"));
        ShippedRoom room = fixture.room();
        room.awaitAtLeast(100, WAIT);

        Files.move(a, dir.resolve("a.log.1"));
        append(dir.resolve("a.log.1"), numbered("a-", 101, 110)); // the writer has not reopened yet
        append(a, numbered("n-", 1, 50));
        append(dir.resolve("b.log"), numbered("b-", 1, 20));

        room.awaitAtLeast(180, WAIT);
        fixture.stopShippers();
        List<ShippedRoom.Shipped> all = room.readToEnd();

        assertThat(lines(all)).hasSize(180).doesNotHaveDuplicates()
                .containsAll(List.of(numbered("a-", 1, 110))).containsAll(List.of(numbered("n-", 1, 50)));
        assertInOrderPerFile(all);
        assertThat(fixture.count("roomcast.shipper.files.gone")).isEqualTo(1);
    }

    @Test
    void shouldStartOverAfterCopyTruncate() throws Exception {
        Path log = dir.resolve("app.log");
        append(log, numbered("before-", 1, 100));
        fixture.start(source("app.log"));
        ShippedRoom room = fixture.room();
        room.awaitAtLeast(100, WAIT);

        Files.copy(log, dir.resolve("app.log.copy"));
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
        append(log, numbered("after-", 1, 30));

        room.awaitAtLeast(130, WAIT);
        fixture.stopShippers();
        List<ShippedRoom.Shipped> all = room.readToEnd();
        assertThat(lines(all)).hasSize(130).doesNotHaveDuplicates().containsAll(List.of(numbered("after-", 1, 30)));
        assertThat(all.get(100).event().source().lineNo()).isEqualTo(1L);
        assertThat(fixture.count("roomcast.shipper.files.truncated")).isEqualTo(1);
    }

    @Test
    void shouldNoticeATruncationThatHappenedWhileStoppedByTheFirstBytes() throws Exception {
        Path log = dir.resolve("app.log");
        append(log, numbered("old-", 1, 100));
        LogShipper first = fixture.start(source("app.log"));
        ShippedRoom room = fixture.room();
        room.awaitAtLeast(100, WAIT);
        first.close();

        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
        append(log, numbered("new-and-longer-", 1, 150)); // grows past the old position again
        fixture.start(source("app.log"));

        room.awaitAtLeast(250, WAIT);
        fixture.stopShippers();
        assertThat(lines(room.readToEnd())).hasSize(250).doesNotHaveDuplicates()
                .containsAll(List.of(numbered("new-and-longer-", 1, 150)));
    }

    @Test
    void shouldContinueExactlyWhereItStoppedAfterARestartWithTwoSourcesInOneRoom() throws Exception {
        Path log = dir.resolve("app.log");
        Path other = dir.resolve("other.txt");
        append(log, numbered("line-", 1, 50));
        append(other, numbered("other-", 1, 5));
        LogShipper first = fixture.start(source("app.log"), source("*.txt"));
        ShippedRoom room = fixture.room();
        room.awaitAtLeast(55, WAIT);
        first.close();

        append(log, numbered("line-", 51, 100));
        append(other, numbered("other-", 6, 10));
        fixture.start(source("app.log"), source("*.txt"));
        room.awaitAtLeast(110, WAIT);
        fixture.stopShippers();

        List<ShippedRoom.Shipped> all = room.readToEnd();
        assertThat(lines(all).stream().filter(l -> l.startsWith("line-"))).containsExactly(numbered("line-", 1, 100));
        assertThat(lines(all).stream().filter(l -> l.startsWith("other-"))).containsExactly(numbered("other-", 1, 10));
        assertThat(all).filteredOn(r -> r.line().equals("line-100")).singleElement()
                .satisfies(r -> assertThat(r.event().source().lineNo()).isEqualTo(100L));
    }

    @Test
    void shouldShipAPartialLastLineAfterTheTimeout() throws Exception {
        Path log = dir.resolve("app.log");
        appendRaw(log, "complete\nno line end yet".getBytes(StandardCharsets.UTF_8));
        fixture.start(source("app.log"));

        List<ShippedRoom.Shipped> records = fixture.room().awaitAtLeast(2, WAIT);

        assertThat(lines(records)).containsExactly("complete", "no line end yet");
        assertThat(records.get(1).pos()).isEqualTo(Files.size(log));
    }

    @Test
    void shouldWaitForAMissingDirectoryAndShipWhatAppearsInIt() throws Exception {
        Path later = dir.resolve("later");
        fixture.start(SourceConfig.file(later.resolve("*.log").toString(), fixture.room));
        await().atMost(WAIT).until(() -> fixture.count("roomcast.shipper.sources.missing") == 1);

        Files.createDirectories(later);
        append(later.resolve("x.log"), numbered("x-", 1, 10));

        assertThat(lines(fixture.room().awaitAtLeast(10, WAIT))).containsExactly(numbered("x-", 1, 10));
    }

    @Test
    void shouldSurviveBinaryGarbageInvalidUtf8AHugeLineAndADeletedFile() throws Exception {
        byte[] garbage = new byte[100_000];
        new Random(42).nextBytes(garbage);
        appendRaw(dir.resolve("garbage.log"), garbage);
        append(dir.resolve("garbage.log"), "", "after-garbage");
        appendRaw(dir.resolve("invalid.log"), new byte[]{'b', 'a', 'd', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '\n'});
        byte[] huge = new byte[10 * 1024 * 1024];
        Arrays.fill(huge, (byte) 'h');
        appendRaw(dir.resolve("huge.log"), huge);
        append(dir.resolve("huge.log"), "", "after-huge");
        Path doomed = dir.resolve("deleted.log");
        append(doomed, numbered("doomed-", 1, 20_000));
        fixture.start(SourceConfig.file(dir.resolve("*.log").toString(), fixture.room).withMultiline(MultilineRule.none()));
        ShippedRoom room = fixture.room();

        room.awaitAtLeast(1, WAIT);
        Files.delete(doomed);
        append(dir.resolve("z.log"), "still alive");

        await().atMost(WAIT).until(() -> room.awaitAtLeast(1, WAIT).stream().map(ShippedRoom.Shipped::line)
                .filter(l -> l.equals("after-garbage") || l.equals("after-huge") || l.equals("still alive")
                        || l.equals("doomed-20000") || l.startsWith("bad")).count() == 5);
        fixture.stopShippers();
        List<ShippedRoom.Shipped> all = room.readToEnd();

        Map<String, Long> perFile = all.stream().collect(Collectors.groupingBy(r -> r.event().source().file(), Collectors.counting()));
        assertThat(perFile.get(doomed.toString())).isEqualTo(20_000);
        assertThat(all).filteredOn(r -> r.line().startsWith("bad")).singleElement()
                .satisfies(r -> assertThat(r.line()).isEqualTo("bad\uFFFD(\uFFFD"));
        ShippedRoom.Shipped cut = all.stream().filter(r -> r.line().startsWith("hhhh")).findFirst().orElseThrow();
        assertThat(cut.event().truncated()).isTrue();
        assertThat(cut.line().length()).isLessThanOrEqualTo(1_000_000);
        assertThat(cut.pos()).isEqualTo(huge.length + 1L);
        assertThat(fixture.count("roomcast.shipper.utf8.malformed")).isGreaterThanOrEqualTo(2);
        assertThat(fixture.count("roomcast.shipper.lines.truncated")).isEqualTo(1);
        assertThat(fixture.count("roomcast.shipper.records.truncated")).isEqualTo(1);
        assertThat(fixture.count("roomcast.shipper.files.gone")).isEqualTo(1);
    }

    @Test
    void shouldShipStdinUntilItEnds() throws Exception {
        String input = Stream.of(numbered("in-", 1, 500)).collect(Collectors.joining("\n", "", "\ntrailing without newline"));
        LogShipper shipper = fixture.start(fixture.config(List.of(SourceConfig.stdin(fixture.room)), ShipperFixture.fastSettings()),
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));

        assertThat(shipper.awaitFinished(WAIT)).isTrue();
        List<ShippedRoom.Shipped> all = fixture.room().readToEnd();

        assertThat(lines(all)).hasSize(501).startsWith("in-1").endsWith("trailing without newline");
        assertThat(all.get(0).event().source().file()).isEqualTo("<stdin>");
        assertThat(all.get(0).src()).startsWith("stdin:");
    }

    @Test
    void shouldFinishStdinThatEndsWithBlankLines() throws Exception {
        // Blank lines are no records, so nothing acknowledges them: the end of the input once never counted as shipped.
        LogShipper shipper = fixture.start(fixture.config(List.of(SourceConfig.stdin(fixture.room)), ShipperFixture.fastSettings()),
                new ByteArrayInputStream("a\n\n\n   \n".getBytes(StandardCharsets.UTF_8)));

        assertThat(shipper.awaitFinished(WAIT)).isTrue();
        assertThat(lines(fixture.room().readToEnd())).containsExactly("a");
    }

    @Test
    void shouldNotStallStdinOnMoreBlankLinesThanItsBufferHolds() throws Exception {
        // stdin's buffer keeps bytes until Kafka acknowledges the records made of them; blank lines are no records, so
        // a run of them longer than the buffer once stopped the pipe for good, and "b" never came.
        ShipperSettings s = ShipperFixture.fastSettings();
        ShipperSettings small = s.withSizes(16 * 1024, s.maxEventBytes()).withInFlight(s.maxInFlightRecords(), 64 * 1024);
        String input = "a\n" + "\n".repeat(1024 * 1024) + "b\n";
        LogShipper shipper = fixture.start(fixture.config(List.of(SourceConfig.stdin(fixture.room)), small),
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));

        assertThat(shipper.awaitFinished(WAIT)).isTrue();
        assertThat(lines(fixture.room().readToEnd())).containsExactly("a", "b");
    }

    @Test
    void shouldSplitAMultilineRecordByItsEncodedSizeSoThatNoLineIsLost() throws Exception {
        // 40 continuation lines of about 2,300 characters take about 6,400 bytes as UTF-8 JSON (tabs escaped, three-byte
        // characters): within maxEventBytes counted in characters, so they were once joined and the record cut.
        ShipperSettings s = ShipperFixture.fastSettings();
        ShipperSettings small = s.withSizes(s.maxLineBytes(), 4096);
        List<String> trace = new ArrayList<>(List.of("ERROR boom"));
        for (int i = 1; i <= 40; i++) {
            trace.add("\tat " + "\u30c3".repeat(50) + " " + i);
        }
        String input = String.join("\n", trace) + "\nnext\n";
        LogShipper shipper = fixture.start(fixture.config(List.of(SourceConfig.stdin(fixture.room)), small),
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));

        assertThat(shipper.awaitFinished(WAIT)).isTrue();
        List<ShippedRoom.Shipped> all = fixture.room().readToEnd();

        assertThat(all).hasSizeGreaterThan(2).allSatisfy(r -> {
            assertThat(r.event().truncated()).isNull();
            assertThat(r.event().toJson().length).isLessThanOrEqualTo(4096);
        });
        List<String> shippedLines = all.stream().flatMap(r -> Arrays.stream(r.line().split("\n"))).toList();
        List<String> expected = new ArrayList<>(trace);
        expected.add("next");
        assertThat(shippedLines).containsExactlyElementsOf(expected);
    }

    /** Within each file (by identity) the positions only grow and the lines keep their numbering. */
    private static void assertInOrderPerFile(List<ShippedRoom.Shipped> all) {
        Map<String, List<ShippedRoom.Shipped>> bySource = all.stream().collect(Collectors.groupingBy(ShippedRoom.Shipped::src));
        bySource.values().forEach(records -> {
            for (int i = 1; i < records.size(); i++) {
                assertThat(records.get(i).pos()).isGreaterThan(records.get(i - 1).pos());
                assertThat(records.get(i).offset()).isGreaterThan(records.get(i - 1).offset());
            }
        });
    }
}
