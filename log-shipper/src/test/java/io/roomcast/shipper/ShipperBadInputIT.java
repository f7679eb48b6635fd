package io.roomcast.shipper;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.roomcast.event.RecordLayout;
import io.roomcast.room.RoomName;
import io.roomcast.room.RoomPartitioner;
import io.roomcast.testkit.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static io.roomcast.shipper.ShipperFixture.append;
import static io.roomcast.shipper.ShipperFixture.numbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The "Bad input" table of docs/log-shipper.md that no other test covers: unreadable files and
 * directories, more files than {@code maxOpenFiles}, binary garbage on stdin, and unsigned
 * position records with garbage headers written by a stranger into the room. Each asserts the
 * documented metric exactly and that every other line is shipped exactly once, in order.
 */
class ShipperBadInputIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Several scans at the fixture's 100 ms scan interval: long enough for a repeated report to show. */
    private static final Duration SCANS = Duration.ofMillis(700);
    private static final String READ_ERRORS = "roomcast.shipper.read.errors";
    private static final Set<PosixFilePermission> RWX = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> RW = PosixFilePermissions.fromString("rw-r--r--");

    @TempDir
    Path dir;

    private final ShipperFixture fixture = new ShipperFixture(TestKafka.bootstrapServers());
    private final List<Path> locked = new ArrayList<>();
    private final Logger fileSourceLog = (Logger) LoggerFactory.getLogger(FileSource.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        logged.start();
        fileSourceLog.addAppender(logged);
    }

    @AfterEach
    void tearDown() throws IOException {
        fixture.close();
        fileSourceLog.detachAppender(logged);
        for (Path p : locked) { // so that @TempDir can delete them
            if (Files.exists(p)) {
                Files.setPosixFilePermissions(p, Files.isDirectory(p) ? RWX : RW);
            }
        }
    }

    private static SourceConfig lines(Path pattern, String room) {
        return SourceConfig.file(pattern.toString(), room).withMultiline(MultilineRule.none());
    }

    /** The lines shipped from {@code file}, in the order they are in the room. */
    private static List<String> shippedFrom(List<ShippedRoom.Shipped> all, Path file) {
        return all.stream().filter(r -> r.event().source().file().equals(file.toString())).map(ShippedRoom.Shipped::line).toList();
    }

    /** The WARN lines of FileSource about this test's room whose message starts with {@code prefix}. */
    private long warnings(String prefix) {
        return logged.list.stream()
                .filter(e -> e.getLevel() == Level.WARN && e.getMessage().startsWith(prefix))
                .filter(e -> e.getKeyValuePairs() != null && e.getKeyValuePairs().stream()
                        .anyMatch(kv -> kv.key.equals("room") && fixture.room.equals(String.valueOf(kv.value))))
                .count();
    }

    // --- an unreadable file or directory --------------------------------------------------------

    @Test
    void shouldReportAnUnreadableFileOnceRetryItQuietlyAndKeepShippingTheOthers() throws Exception {
        Path a = dir.resolve("a.log");
        Path secret = dir.resolve("secret.log");
        Path z = dir.resolve("z.log");
        append(a, numbered("a-", 1, 5));
        append(secret, numbered("secret-", 1, 5));
        append(z, numbered("z-", 1, 5));
        Runnable makeReadable = makeUnreadable(secret);
        fixture.start(lines(dir.resolve("*.log"), fixture.room));
        ShippedRoom room = fixture.room();

        room.awaitAtLeast(10, WAIT);
        append(a, numbered("a-", 6, 10));
        room.awaitAtLeast(15, WAIT);
        await().atMost(WAIT).during(SCANS).until(() -> fixture.count(READ_ERRORS) == 1); // once, not at every scan
        assertThat(warnings("cannot open file")).isEqualTo(1);

        makeReadable.run();
        room.awaitAtLeast(20, WAIT);
        fixture.stopShippers();
        List<ShippedRoom.Shipped> all = room.readToEnd();

        assertThat(all).hasSize(20);
        assertThat(shippedFrom(all, a)).containsExactly(numbered("a-", 1, 10));
        assertThat(shippedFrom(all, z)).containsExactly(numbered("z-", 1, 5));
        assertThat(shippedFrom(all, secret)).containsExactly(numbered("secret-", 1, 5));
        assertThat(fixture.count(READ_ERRORS)).isEqualTo(1);
        assertThat(warnings("cannot open file")).isEqualTo(1);
    }

    @Test
    void shouldReportUnreadableDirectoriesOnceAndKeepShippingTheOtherFilesOfThePattern() throws Exception {
        Path ok = dir.resolve("tree/ok/a.log");
        Path hidden = dir.resolve("tree/locked/b.log");
        Path flat = dir.resolve("flat/c.log");
        append(mkdirs(ok), numbered("a-", 1, 5));
        append(mkdirs(hidden), numbered("b-", 1, 5));
        append(mkdirs(flat), numbered("c-", 1, 5));
        lock(hidden.getParent());
        lock(flat.getParent());
        // Two patterns: one with an unreadable subdirectory, one whose directory itself is unreadable.
        fixture.start(lines(dir.resolve("tree/*/*.log"), fixture.room), lines(dir.resolve("flat/*.log"), fixture.room));
        ShippedRoom room = fixture.room();

        room.awaitAtLeast(5, WAIT);
        append(ok, numbered("a-", 6, 10));
        room.awaitAtLeast(10, WAIT);
        await().atMost(WAIT).during(SCANS).until(() -> fixture.count(READ_ERRORS) == 2); // one per directory
        assertThat(warnings("cannot list")).isEqualTo(2);

        Files.setPosixFilePermissions(hidden.getParent(), RWX);
        Files.setPosixFilePermissions(flat.getParent(), RWX);
        room.awaitAtLeast(20, WAIT);
        fixture.stopShippers();
        List<ShippedRoom.Shipped> all = room.readToEnd();

        assertThat(all).hasSize(20);
        assertThat(shippedFrom(all, ok)).containsExactly(numbered("a-", 1, 10));
        assertThat(shippedFrom(all, hidden)).containsExactly(numbered("b-", 1, 5));
        assertThat(shippedFrom(all, flat)).containsExactly(numbered("c-", 1, 5));
        assertThat(fixture.count(READ_ERRORS)).isEqualTo(2);
    }

    /**
     * Makes {@code file} unreadable and returns how to make it readable again. As root, mode bits
     * do not stop reads: then the file is swapped for a symbolic link to a file that root cannot
     * read either (a write-only sysctl), and made readable by pointing the link back at it.
     */
    private Runnable makeUnreadable(Path file) throws IOException {
        lock(file);
        if (!Files.isReadable(file)) {
            return () -> setPermissions(file, RW);
        }
        Path writeOnly = Path.of("/proc/sys/vm/drop_caches");
        assumeThat(Files.isRegularFile(writeOnly) && !Files.isReadable(writeOnly))
                .as("running as root without a file root cannot read").isTrue();
        Path real = file.resolveSibling(file.getFileName() + ".data"); // outside the pattern
        Files.setPosixFilePermissions(file, RW);
        Files.move(file, real);
        Files.createSymbolicLink(file, writeOnly);
        return () -> {
            try {
                Files.delete(file);
                Files.createSymbolicLink(file, real);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /** chmod 000; skips the test when that does not stop reads (root) and no other way is at hand. */
    private void lock(Path path) throws IOException {
        locked.add(path);
        Files.setPosixFilePermissions(path, Set.of());
        if (Files.isDirectory(path)) {
            assumeThat(Files.isReadable(path)).as("chmod 000 does not stop root from listing a directory").isFalse();
        }
    }

    private static void setPermissions(Path path, Set<PosixFilePermission> permissions) {
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path mkdirs(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return file;
    }

    // --- more files than maxOpenFiles -----------------------------------------------------------

    @Test
    void shouldCountEachFileOverMaxOpenFilesOnceAndShipTheOthers() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= 6; i++) { // more than twice the limit
            Path f = dir.resolve("f" + i + ".log");
            append(f, numbered("f" + i + "-", 1, 3));
            files.add(f);
        }
        fixture.start(fixture.config(List.of(lines(dir.resolve("*.log"), fixture.room)), ShipperFixture.fastSettings().withMaxOpenFiles(2)), null);
        ShippedRoom room = fixture.room();

        List<Path> followed = room.awaitAtLeast(6, WAIT).stream().map(r -> Path.of(r.event().source().file())).distinct().toList();
        assertThat(followed).hasSize(2);
        followed.forEach(f -> append(f, "more of " + f.getFileName()));
        room.awaitAtLeast(8, WAIT);
        await().atMost(WAIT).during(SCANS).until(() -> fixture.count("roomcast.shipper.files.skipped") == 4);
        assertThat(fixture.registry.get("roomcast.shipper.files.open").gauge().value()).isEqualTo(2);
        fixture.stopShippers();
        List<ShippedRoom.Shipped> all = room.readToEnd();

        assertThat(all).hasSize(8);
        for (Path f : files) {
            String prefix = f.getFileName().toString().replace(".log", "-");
            if (followed.contains(f)) {
                assertThat(shippedFrom(all, f)).containsExactly("%s1|%s2|%s3|more of %s".formatted(prefix, prefix, prefix, f.getFileName())
                        .split("\\|"));
            } else {
                assertThat(shippedFrom(all, f)).isEmpty();
            }
        }
        assertThat(fixture.count("roomcast.shipper.files.skipped")).isEqualTo(4);
        assertThat(warnings("too many files match")).isEqualTo(1);
    }

    /**
     * A file the restarted shipper could not follow at start-up (over {@code maxOpenFiles}) and
     * follows later resumes where it was shipped to, as at start-up: its lines are not shipped twice.
     */
    @Test
    void shouldResumeAFileSkippedAtStartUpFromWhatWasShippedWhenItOpensLater() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Path f = dir.resolve("r" + i + ".log");
            append(f, numbered("r" + i + "-", 1, 3));
            files.add(f);
        }
        SourceConfig source = lines(dir.resolve("*.log"), fixture.room);
        fixture.start(source);
        ShippedRoom room = fixture.room();
        room.awaitAtLeast(9, WAIT);
        fixture.stopShippers();

        fixture.start(fixture.config(List.of(source), ShipperFixture.fastSettings().withMaxOpenFiles(2)), null);
        await().atMost(WAIT).until(() -> fixture.count("roomcast.shipper.files.skipped") == 1);
        files.forEach(f -> append(f, "after restart " + f.getFileName()));
        List<Path> followed = room.awaitAtLeast(11, WAIT).stream().skip(9).map(r -> Path.of(r.event().source().file())).toList();
        assertThat(followed).hasSize(2);
        Path waiting = files.stream().filter(f -> !followed.contains(f)).findFirst().orElseThrow();

        Files.delete(followed.get(0)); // read to its end and let go: the waiting file gets its place
        await().atMost(WAIT).until(() -> room.awaitAtLeast(12, WAIT).stream()
                .anyMatch(r -> r.line().equals("after restart " + waiting.getFileName())));
        fixture.stopShippers();

        List<ShippedRoom.Shipped> all = room.readToEnd();
        for (Path f : files) {
            String prefix = f.getFileName().toString().replace(".log", "-");
            assertThat(shippedFrom(all, f)).as(f.getFileName().toString())
                    .containsExactly(prefix + 1, prefix + 2, prefix + 3, "after restart " + f.getFileName());
        }
    }

    // --- binary garbage and invalid UTF-8 on stdin ----------------------------------------------

    @Test
    void shouldShipBinaryGarbageAndInvalidUtf8OnStdinWithReplacementsAndLoseNothingAfterIt() throws Exception {
        byte[] garbage = new byte[200_000]; // spans several of stdin's 64 KiB reads
        new Random(7).nextBytes(garbage);
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.writeBytes("before-1\nbefore-2\n".getBytes(StandardCharsets.UTF_8));
        in.writeBytes(garbage);
        in.writeBytes(new byte[]{'\n', 'b', 'a', 'd', (byte) 0xC3, '(', (byte) 0xFF, (byte) 0xE2, (byte) 0x82, '\n'});
        in.writeBytes(String.join("\n", numbered("after-", 1, 1000)).concat("\n").getBytes(StandardCharsets.UTF_8));
        byte[] input = in.toByteArray();
        Expected expected = expectedLines(input);
        assertThat(expected.lines()).contains("bad\uFFFD(\uFFFD\uFFFD").hasSizeGreaterThan(1500);

        LogShipper shipper = fixture.start(fixture.config(List.of(SourceConfig.stdin(fixture.room).withMultiline(MultilineRule.none())),
                ShipperFixture.fastSettings()), new ByteArrayInputStream(input));
        assertThat(shipper.awaitFinished(WAIT)).isTrue();
        assertThat(shipper.failure()).isNull();
        List<ShippedRoom.Shipped> all = fixture.room().readToEnd();

        assertThat(all).extracting(ShippedRoom.Shipped::line).containsExactlyElementsOf(expected.lines());
        assertThat(all.get(all.size() - 1).pos()).isEqualTo(input.length);
        assertThat(fixture.count("roomcast.shipper.utf8.malformed")).isEqualTo(expected.malformed());
        assertThat(fixture.count("roomcast.shipper.lines")).isEqualTo(expected.allLines());
        assertThat(fixture.count(READ_ERRORS)).isZero();
    }

    private record Expected(List<String> lines, long malformed, long allLines) {
    }

    /**
     * What the docs promise for {@code input}, computed independently of the shipper: split at
     * {@code \n} (a {@code \r} before it dropped), each malformed UTF-8 sequence replaced by U+FFFD
     * (as {@link String#String(byte[], java.nio.charset.Charset)} does), blank lines skipped.
     */
    private static Expected expectedLines(byte[] input) {
        List<String> lines = new ArrayList<>();
        long replacements = 0;
        long all = 0;
        int start = 0;
        for (int i = 0; i < input.length; i++) {
            if (input[i] == '\n') {
                int end = i > start && input[i - 1] == '\r' ? i - 1 : i;
                String text = new String(input, start, end - start, StandardCharsets.UTF_8);
                replacements += text.chars().filter(c -> c == '\uFFFD').count();
                all++;
                if (!text.isBlank()) {
                    lines.add(text);
                }
                start = i + 1;
            }
        }
        // A U+FFFD the input spells out correctly (EF BF BD) is text, not a replacement.
        long genuine = 0;
        for (int i = 0; i + 2 < input.length; i++) {
            if ((input[i] & 0xFF) == 0xEF && (input[i + 1] & 0xFF) == 0xBF && (input[i + 2] & 0xFF) == 0xBD) {
                genuine++;
            }
        }
        return new Expected(lines, replacements - genuine, all);
    }

    // --- garbage positions of a stranger, unsigned ----------------------------------------------

    static Stream<Arguments> garbagePositions() {
        return Stream.of(
                Arguments.of("pos not a number", Map.of("pos", "abc")),
                Arguments.of("pos negative", Map.of("pos", "-1")),
                Arguments.of("pos missing", Map.of()),
                Arguments.of("pos empty", Map.of("pos", "")),
                Arguments.of("pos beyond a long", Map.of("pos", "99999999999999999999")),
                Arguments.of("pos hexadecimal", Map.of("pos", "0x10")),
                Arguments.of("ln not a number", Map.of("pos", "SKIP", "ln", "x")),
                Arguments.of("ln negative", Map.of("pos", "SKIP", "ln", "-5")),
                Arguments.of("head garbage", Map.of("pos", "SKIP", "head", "not-a-fingerprint")),
                Arguments.of("head without crc", Map.of("pos", "SKIP", "head", "12:")),
                Arguments.of("head longer than a fingerprint", Map.of("pos", "SKIP", "head", "5000:1f")));
    }

    /**
     * The stranger's records are the latest ones carrying this host and the file's identity;
     * {@code SKIP} stands for a position within the file after lines not shipped yet, so that
     * trusting the record would lose lines 11 to 19.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("garbagePositions")
    void shouldIgnoreUnsignedPositionRecordsWithGarbageHeaders(String what, Map<String, String> garbage) throws Exception {
        Path log = dir.resolve("app.log");
        append(log, numbered("line-", 1, 10));
        SourceConfig source = lines(log, fixture.room);
        fixture.start(source);
        ShippedRoom room = fixture.room();
        String src = room.awaitAtLeast(10, WAIT).get(0).src();
        fixture.stopShippers();

        append(log, numbered("line-", 11, 20));
        long skipTo = Files.size(log) - "line-20\n".length();
        Map<String, String> headers = new LinkedHashMap<>();
        garbage.forEach((k, v) -> headers.put(k, v.replace("SKIP", Long.toString(skipTo))));
        forge(src, headers);

        fixture.start(source);
        // line-20 ends the file: once it is in the room, so is everything the shipper read before it.
        await().atMost(WAIT).until(() -> room.awaitAtLeast(1, WAIT).stream().anyMatch(r -> r.line().equals("line-20")));
        fixture.stopShippers();

        List<ShippedRoom.Shipped> all = room.readToEnd();
        assertThat(all).filteredOn(r -> r.line().equals("forged")).hasSize(1);
        assertThat(all).filteredOn(r -> !r.line().equals("forged")).extracting(ShippedRoom.Shipped::line)
                .as(what).containsExactly(numbered("line-", 1, 20));
        assertThat(fixture.count("roomcast.shipper.files.truncated")).as(what).isZero();
    }

    /** A record of another writer, without signature, with this host's header and the file's identity. */
    private void forge(String src, Map<String, String> garbage) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        headers.add(ShipperHeaders.HOST, "test-host".getBytes(StandardCharsets.UTF_8));
        headers.add(ShipperHeaders.SOURCE, src.getBytes(StandardCharsets.UTF_8));
        garbage.forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        RoomName room = RoomName.of(fixture.room);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            byte[] value = LogRecordEvent.of("forged", new LogRecordEvent.Source("elsewhere", "test-host", 0L, null)).toJson();
            producer.send(RecordLayout.toRecord(fixture.topic, RoomPartitioner.partition(room, fixture.partitions()), room,
                    LogRecordEvent.TYPE, value, null, headers)).get();
        }
    }
}
