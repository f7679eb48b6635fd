package io.roomcast.shipper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShipperConfigTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadAFullConfigFile() {
        ConfigFile file = ConfigFile.parse("""
                {
                  "kafka": "k1:9092,k2:9092",
                  "host": "web-1",
                  "zone": "Europe/Berlin",
                  "sources": [
                    {"room": "logs:api", "file": "/var/log/api/*.log", "startAt": "end",
                     "multiline": {"match": "start", "pattern": "^\\\\d{4}-", "maxLines": 50}},
                    {"room": "logs:build", "stdin": true, "multiline": "none", "topic": "build.logs"}
                  ],
                  "topics": {"logs": "company.logs"},
                  "settings": {"pollInterval": "100ms", "rotateWait": "2s", "maxLineBytes": 65536},
                  "kafkaProperties": {"compression.type": "gzip"}
                }
                """, "test.json");

        assertThat(file.kafka()).isEqualTo("k1:9092,k2:9092");
        assertThat(file.host()).isEqualTo("web-1");
        assertThat(file.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(file.sources()).containsExactly(
                new SourceConfig("logs:api", "/var/log/api/*.log", false, MultilineRule.of("^\\d{4}-", "start", 50),
                        SourceConfig.StartAt.END, null),
                new SourceConfig("logs:build", null, true, MultilineRule.none(), SourceConfig.StartAt.BEGINNING, "build.logs"));
        assertThat(file.settings().pollInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(file.settings().rotateWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(file.settings().maxLineBytes()).isEqualTo(65536);
        assertThat(file.settings().scanInterval()).isEqualTo(ShipperSettings.defaults().scanInterval());
        assertThat(TopicLayout.of(file.topics()).topicFor("logs:api")).isEqualTo("company.logs");
        assertThat(file.kafkaProperties()).containsEntry("compression.type", "gzip");
    }

    @Test
    void shouldReportEveryProblemOfAGarbageConfigWithItsPath() {
        assertThatThrownBy(() -> ConfigFile.parse("""
                {"kafak": "x", "sources": [
                   {"room": "bad room!", "file": "/x/*.log"},
                   {"file": "/y/*.log", "stdin": true},
                   {"room": "logs:a", "file": "/z/*.log", "multiline": {"match": "start", "pattern": "(["}},
                   "not an object",
                   {"room": "logs:b", "file": "/q/{a,b"}
                 ],
                 "settings": {"pollInterval": "soon", "maxLineBytes": 12, "colour": "blue"}}
                """, "garbage.json"))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems()).anySatisfy(p ->
                        assertThat(p).startsWith("kafak: unknown field")).anySatisfy(p ->
                        assertThat(p).startsWith("sources[0]: invalid room name 'bad room!'")).anySatisfy(p ->
                        assertThat(p).startsWith("sources[1].room: is required")).anySatisfy(p ->
                        assertThat(p).startsWith("sources[1]: needs either \"file\" or \"stdin\"")).anySatisfy(p ->
                        assertThat(p).startsWith("sources[2].multiline: invalid pattern")).anySatisfy(p ->
                        assertThat(p).startsWith("sources[3]: must be an object")).anySatisfy(p ->
                        assertThat(p).startsWith("sources[4].file: '/q/{a,b' is not a valid file pattern: Missing '}")).anySatisfy(p ->
                        assertThat(p).startsWith("settings.pollInterval: 'soon' is not a duration")).anySatisfy(p ->
                        assertThat(p).startsWith("settings.colour: unknown field")).anySatisfy(p ->
                        assertThat(p).isEqualTo("settings.maxLineBytes: must be 1024..67108864, was 12")))
                .hasMessageStartingWith("garbage.json: ");
    }

    @Test
    void shouldNameEverySettingOutOfItsRangeNotOnlyTheFirst() {
        assertThatThrownBy(() -> ConfigFile.parse("""
                {"sources": [{"room": "logs:a", "file": "/x.log"}],
                 "settings": {"rotateWait": "0ms", "pollInterval": "0s", "maxInFlightRecords": 0, "maxLineBytes": -5,
                              "maxEventBytes": 10, "maxOpenFiles": 0, "deliveryTimeout": "1s"}}
                """, "ranges.json"))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "settings.pollInterval: must be positive, was PT0S",
                        "settings.rotateWait: must be positive, was PT0S",
                        "settings.maxLineBytes: must be 1024..67108864, was -5",
                        "settings.maxEventBytes: must be 4096..67108864, was 10",
                        "settings.maxInFlightRecords: must be 1..1000000, was 0",
                        "settings.maxOpenFiles: must be 1..10000, was 0",
                        "settings.deliveryTimeout: must be at least 2s, was PT1S"));
    }

    @Test
    void shouldRefuseKafkaSettingsThatExactlyOnceRestsOnWithTheirPath() {
        assertThatThrownBy(() -> ConfigFile.parse("""
                {"sources": [{"room": "logs:a", "file": "/a/*.log"}],
                 "kafkaProperties": {"acks": "1", "enable.idempotence": "false", "compression.type": "zstd"}}
                """, "c.json"))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "kafkaProperties.acks: Kafka client setting 'acks' is set by Roomcast and cannot be changed",
                        "kafkaProperties.enable.idempotence: Kafka client setting 'enable.idempotence' is set by Roomcast and cannot be changed"));
    }

    @Test
    void shouldRefuseKafkaSettingsOfTheWrongTypeWithTheirPath() {
        // A value Kafka's client cannot parse failed only when the producer was built, which the shipper took for Kafka
        // being away: it retried forever instead of exiting with the configuration's error.
        assertThatThrownBy(() -> ConfigFile.parse("""
                {"sources": [{"room": "logs:a", "file": "/a/*.log"}],
                 "kafkaProperties": {"batch.size": "64k", "linger.ms": "soon", "compression.type": "zstd", "fetch.min.bytes": "1"}}
                """, "c.json"))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "kafkaProperties.batch.size: Kafka client setting 'batch.size' must be of type int, was '64k'",
                        "kafkaProperties.linger.ms: Kafka client setting 'linger.ms' must be of type long, was 'soon'"));
    }

    @Test
    void shouldTakeKafkaSettingsAsJsonNumbersAndBooleansAndRefuseWhatTheProducerRefusesTogether() {
        ConfigFile ok = ConfigFile.parse("""
                {"sources": [{"room": "logs:a", "file": "/a/*.log"}],
                 "kafkaProperties": {"batch.size": 65536, "linger.ms": 5, "enable.metrics.push": false}}
                """, "c.json");
        assertThat(ok.kafkaProperties()).containsExactlyInAnyOrderEntriesOf(
                java.util.Map.of("batch.size", "65536", "linger.ms", "5", "enable.metrics.push", "false"));
        assertThatThrownBy(() -> ConfigFile.parse("""
                {"sources": [{"room": "logs:a", "file": "/a/*.log"}],
                 "kafkaProperties": {"enable.idempotence": false, "retries": [0]}}
                """, "c.json"))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "kafkaProperties.retries: must be a string, a number or a boolean",
                        "kafkaProperties.enable.idempotence: Kafka client setting 'enable.idempotence' is set by Roomcast and cannot be changed"));
        // Each of the right type, refused together by the idempotent producer: at start-up, not when the producer is built.
        assertThatThrownBy(() -> ConfigFile.parse("""
                {"sources": [{"room": "logs:a", "file": "/a/*.log"}],
                 "kafkaProperties": {"max.in.flight.requests.per.connection": "50"}}
                """, "c.json"))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems()).singleElement().asString()
                        .startsWith("kafkaProperties: Kafka client settings refused by Kafka's idempotent producer"));
    }

    @Test
    void shouldRefuseTextThatIsNotJson() {
        assertThatThrownBy(() -> ConfigFile.parse("kafka = localhost\n", "c.properties"))
                .hasMessageStartingWith("c.properties: not valid JSON");
        assertThatThrownBy(() -> ConfigFile.parse("[1]", "c.json")).hasMessageContaining("one JSON object");
        assertThatThrownBy(() -> ConfigFile.parse("{\"host\":\"a\",\"host\":\"b\"}", "c.json")).hasMessageContaining("Duplicate field");
        assertThatThrownBy(() -> ConfigFile.parse("{} {}", "c.json")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> ConfigFile.parse("{\"settings\":{\"maxOpenFiles\":99999999999}}", "c.json"))
                .hasMessageContaining("settings.maxOpenFiles: is too large");
        assertThatThrownBy(() -> ConfigFile.parse("{\"settings\":{\"rotateWait\":\"999999999h\"}}", "c.json"))
                .hasMessageContaining("settings.rotateWait: '999999999h' is longer than a day");
    }

    @Test
    void shouldRefuseBinaryGarbageAndMissingFiles() throws Exception {
        Path garbage = dir.resolve("garbage.json");
        Files.write(garbage, new byte[]{(byte) 0xFF, (byte) 0xFE, 0, 1, 2, '{'});
        assertThatThrownBy(() -> ConfigFile.load(garbage)).isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> ConfigFile.load(dir.resolve("missing.json")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("cannot read");
    }

    @Test
    void shouldExitWithUsageErrorsForBadCommandLines() throws Exception {
        Path config = dir.resolve("bad.json");
        Files.writeString(config, "{\"sources\": 3}");

        assertThat(run("--file", "/tmp/*.log")).contains("--room is required");
        assertThat(run("--room", "logs:x")).contains("--room needs --file or --stdin");
        assertThat(run()).contains("nothing to ship");
        assertThat(run("--file", "/tmp/*.log", "--room", "no spaces")).contains("invalid room name");
        assertThat(run("--file", "/tmp/*.log", "--room", "logs:x", "--multiline", "sideways")).contains("--multiline must be");
        assertThat(run("--config", config.toString())).contains("sources: must be an array");
        Path good = dir.resolve("good.json");
        Files.writeString(good, "{\"sources\": [{\"room\": \"logs:a\", \"file\": \"/tmp/*.log\"}]}");
        for (String flag : List.of("--start-at", "--multiline", "--topic")) {
            // with a config file alone they would be ignored: its sources carry their own
            assertThat(run("--config", good.toString(), flag, "bogus")).as(flag).contains("--multiline, --start-at and --topic go with --file or --stdin");
        }
    }

    @Test
    void shouldRefuseAShortOrMissingPositionKeyAndReadAGoodOne() throws Exception {
        Path shortKey = dir.resolve("short.key");
        Files.writeString(shortKey, "tiny\n");
        Path goodKey = dir.resolve("good.key");
        Files.writeString(goodKey, "0123456789abcdef-secret\n");

        assertThat(run("--file", "/tmp/*.log", "--room", "logs:x", "--position-key-file", shortKey.toString()))
                .contains("--position-key-file").contains("at least 16 bytes");
        assertThat(run("--file", "/tmp/*.log", "--room", "logs:x", "--position-key-file", dir.resolve("none.key").toString()))
                .contains("--position-key-file").contains("cannot read");
        ShipperCommand command = new ShipperCommand();
        new CommandLine(command).parseArgs("--file", "/tmp/*.log", "--room", "logs:x", "--position-key-file", goodKey.toString());
        ShipperConfig config = command.config();
        assertThat(config.positionKey()).isNotNull();
        assertThat(config.toString()).doesNotContain("secret");
        // The line end echo wrote is not part of the key.
        byte[] roomKey = "logs:x".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(config.positionKey().sign(roomKey, "h", "s", "1", "2", "x"))
                .isEqualTo(new PositionKey("0123456789abcdef-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8)).sign(roomKey, "h", "s", "1", "2", "x"));

        // A key of random bytes (head -c 32 /dev/urandom), not UTF-8 text, is a key like any other.
        byte[] random = new byte[32];
        new java.util.Random(7).nextBytes(random);
        random[0] = (byte) 0xff;
        random[31] = (byte) 0xc3;
        Path binaryKey = dir.resolve("binary.key");
        Files.write(binaryKey, random);
        ShipperCommand binary = new ShipperCommand();
        new CommandLine(binary).parseArgs("--file", "/tmp/*.log", "--room", "logs:x", "--position-key-file", binaryKey.toString());
        assertThat(binary.config().positionKey().sign(roomKey, "h", "s", "1", "2", "x"))
                .isEqualTo(new PositionKey(random).sign(roomKey, "h", "s", "1", "2", "x"));
    }

    @Test
    void shouldCombineFlagsWithTheConfigFile() throws Exception {
        Path config = dir.resolve("ok.json");
        Files.writeString(config, "{\"kafka\":\"file:9092\",\"host\":\"h1\",\"sources\":[{\"room\":\"logs:a\",\"file\":\"/a/*.log\"}]}");
        ShipperCommand command = new ShipperCommand();
        new CommandLine(command).parseArgs("--config", config.toString(), "--file", "/b/x.log", "--room", "logs:b",
                "--multiline", "start:^\\[", "--host", "h2");

        ShipperConfig shipper = command.config();

        assertThat(shipper.kafka()).isEqualTo("file:9092");
        assertThat(shipper.host()).isEqualTo("h2");
        assertThat(shipper.sources()).extracting(SourceConfig::describe).containsExactly("/a/*.log -> logs:a", "/b/x.log -> logs:b");
        assertThat(shipper.sources().get(1).multiline().match()).isEqualTo(MultilineRule.Match.START);
        assertThat(shipper.topicFor(shipper.sources().get(1))).isEqualTo("roomcast.logs");
    }

    private static String run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ShipperCommand());
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        assertThat(code).as("exit code for %s", String.join(" ", args)).isEqualTo(2);
        return err.toString();
    }
}
