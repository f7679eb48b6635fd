package io.roomcast.shipper;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.kafka.KafkaSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shipper's JSON configuration file (format in docs/log-shipper.md). Every problem is
 * reported with its JSON path ({@code sources[1].multiline.pattern: ...}); unknown fields are
 * errors, so a typo never silently falls back to a default.
 *
 * @param kafka           bootstrap servers, or {@code null} when the file has none
 * @param host            host name, or {@code null}
 * @param sources         the sources, possibly empty
 * @param topics          namespace to topic overrides
 * @param settings        the settings, defaults where the file is silent
 * @param kafkaProperties further Kafka client properties
 * @param zone            zone for timestamps without offset, or {@code null}
 */
public record ConfigFile(String kafka, String host, List<SourceConfig> sources, Map<String, String> topics,
                         ShipperSettings settings, Map<String, String> kafkaProperties, ZoneId zone) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");
    private static final long MAX_FILE_BYTES = 1 << 20;
    private static final Duration MAX_DURATION = Duration.ofDays(1);
    private static final Set<String> TOP = Set.of("kafka", "host", "zone", "sources", "topics", "settings", "kafkaProperties");
    private static final Set<String> SOURCE = Set.of("room", "file", "stdin", "multiline", "startAt", "topic");
    private static final Set<String> MULTILINE = Set.of("match", "pattern", "maxLines");
    private static final Set<String> SETTINGS = Set.of("pollInterval", "scanInterval", "rotateWait", "partialLineTimeout",
            "multilineTimeout", "maxLineBytes", "maxEventBytes", "maxInFlightRecords", "maxInFlightBytes", "maxOpenFiles",
            "deliveryTimeout", "retryBackoff");

    /** Reads and validates a configuration file. */
    public static ConfigFile load(Path file) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new InvalidConfigException(file.toString(), List.of("file is larger than 1 MiB"));
            }
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new InvalidConfigException(file.toString(), List.of("cannot read: " + e));
        }
    }

    /** Parses configuration text; {@code where} names it in error messages. */
    public static ConfigFile parse(String text, String where) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidConfigException(where, List.of("not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr())));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidConfigException(where, List.of("the file must hold one JSON object"));
        }
        Reader r = new Reader();
        r.unknown(root, "", TOP);
        String kafka = r.text(root, "kafka");
        String host = r.text(root, "host");
        ZoneId zone = r.convert(root, "zone", ZoneId::of);
        Map<String, String> topics = r.stringMap(root, "topics", false);
        // Kafka settings are text in a properties file; JSON's numbers and booleans are taken as their text.
        Map<String, String> kafkaProperties = r.stringMap(root, "kafkaProperties", true);
        ShipperSettings settings = r.settings(root.get("settings"));
        List<SourceConfig> sources = new ArrayList<>();
        JsonNode list = root.get("sources");
        if (list != null && !list.isArray()) {
            r.problem("sources", "must be an array");
        } else if (list != null) {
            for (int i = 0; i < list.size(); i++) {
                SourceConfig source = r.source(list.get(i), "sources[" + i + "]");
                if (source != null) {
                    sources.add(source);
                }
            }
        }
        topics.forEach((ns, topic) -> r.check("topics." + ns, () -> TopicLayout.validateTopic(topic)));
        int before = r.problems.size();
        kafkaProperties.forEach((name, value) -> r.check("kafkaProperties." + name, () -> KafkaSettings.check(name, value)));
        if (r.problems.size() == before) {
            r.check("kafkaProperties", () -> KafkaSettings.checkTogether(kafkaProperties));
        }
        if (!r.problems.isEmpty()) {
            throw new InvalidConfigException(where, r.problems);
        }
        return new ConfigFile(kafka, host, sources, topics, settings, kafkaProperties, zone);
    }

    /** Parses {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}. */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 250ms, 5s, 2m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        // every setting is a wait of the shipper's loop: beyond a day is a mistake (and past ~292 years its nanoseconds overflow)
        if (d.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("'" + text + "' is longer than a day");
        }
        return d;
    }

    /** Collects problems instead of stopping at the first. */
    private static final class Reader {
        final List<String> problems = new ArrayList<>();

        void problem(String path, String message) {
            problems.add(path + ": " + message);
        }

        void check(String path, Runnable validation) {
            try {
                validation.run();
            } catch (IllegalArgumentException e) {
                problem(path, e.getMessage());
            }
        }

        void unknown(JsonNode node, String prefix, Set<String> known) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!known.contains(name)) {
                    problem(prefix + name, "unknown field (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
                }
            }
        }

        String text(JsonNode parent, String field) {
            return text(parent, field, field);
        }

        String text(JsonNode parent, String field, String path) {
            JsonNode node = parent.get(field);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isTextual()) {
                problem(path, "must be a string");
                return null;
            }
            return node.asText();
        }

        <T> T convert(JsonNode parent, String field, Function<String, T> converter) {
            String text = text(parent, field);
            if (text == null) {
                return null;
            }
            try {
                return converter.apply(text);
            } catch (IllegalArgumentException | DateTimeException e) {
                problem(field, e.getMessage());
                return null;
            }
        }

        Map<String, String> stringMap(JsonNode parent, String field, boolean scalars) {
            JsonNode node = parent.get(field);
            Map<String, String> map = new LinkedHashMap<>();
            if (node == null || node.isNull()) {
                return map;
            }
            if (!node.isObject()) {
                problem(field, "must be an object of strings");
                return map;
            }
            node.properties().forEach(e -> {
                JsonNode value = e.getValue();
                if (value.isTextual() || scalars && (value.isNumber() || value.isBoolean())) {
                    map.put(e.getKey(), value.asText());
                } else {
                    problem(field + "." + e.getKey(), scalars ? "must be a string, a number or a boolean" : "must be a string");
                }
            });
            return map;
        }

        SourceConfig source(JsonNode node, String path) {
            if (!node.isObject()) {
                problem(path, "must be an object such as {\"room\":\"logs:api\",\"file\":\"/var/log/api/*.log\"}");
                return null;
            }
            int before = problems.size();
            unknown(node, path + ".", SOURCE);
            String room = text(node, "room", path + ".room");
            String file = text(node, "file", path + ".file");
            String topic = text(node, "topic", path + ".topic");
            JsonNode stdinNode = node.get("stdin");
            boolean stdin = false;
            if (stdinNode != null && !stdinNode.isBoolean()) {
                problem(path + ".stdin", "must be true or false");
            } else if (stdinNode != null) {
                stdin = stdinNode.asBoolean();
            }
            if (room == null) {
                problem(path + ".room", "is required");
            }
            if (stdin == (file != null)) {
                problem(path, "needs either \"file\" or \"stdin\": true");
            } else if (file != null) {
                check(path + ".file", () -> new GlobPattern(file));
            }
            SourceConfig.StartAt startAt = SourceConfig.StartAt.BEGINNING;
            String start = text(node, "startAt", path + ".startAt");
            if (start != null) {
                try {
                    startAt = SourceConfig.StartAt.valueOf(start.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    problem(path + ".startAt", "must be beginning or end");
                }
            }
            MultilineRule rule = multiline(node.get("multiline"), path + ".multiline");
            if (problems.size() > before) {
                return null;
            }
            try {
                return new SourceConfig(room, file, stdin, rule, startAt, topic);
            } catch (IllegalArgumentException e) {
                problem(path, e.getMessage());
                return null;
            }
        }

        MultilineRule multiline(JsonNode node, String path) {
            if (node == null || node.isNull()) {
                return MultilineRule.java();
            }
            if (node.isTextual()) {
                return switch (node.asText()) {
                    case "java" -> MultilineRule.java();
                    case "none" -> MultilineRule.none();
                    default -> {
                        problem(path, "must be \"java\", \"none\" or an object {\"match\":...,\"pattern\":...}");
                        yield MultilineRule.java();
                    }
                };
            }
            if (!node.isObject()) {
                problem(path, "must be \"java\", \"none\" or an object {\"match\":...,\"pattern\":...}");
                return MultilineRule.java();
            }
            unknown(node, path + ".", MULTILINE);
            String match = text(node, "match", path + ".match");
            String pattern = text(node, "pattern", path + ".pattern");
            int maxLines = intNumber(node, "maxLines", path + ".maxLines", MultilineRule.DEFAULT_MAX_LINES);
            try {
                return MultilineRule.of(pattern, match == null ? "continuation" : match, maxLines);
            } catch (IllegalArgumentException e) {
                problem(path, e.getMessage());
                return MultilineRule.java();
            }
        }

        long number(JsonNode parent, String field, String path, long fallback) {
            JsonNode node = parent.get(field);
            if (node == null || node.isNull()) {
                return fallback;
            }
            if (!node.canConvertToLong() || !node.isIntegralNumber()) {
                problem(path, "must be a whole number");
                return fallback;
            }
            return node.asLong();
        }

        int intNumber(JsonNode parent, String field, String path, int fallback) {
            long value = number(parent, field, path, fallback);
            if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
                problem(path, "is too large");
                return fallback;
            }
            return (int) value;
        }

        Duration time(JsonNode parent, String field, Duration fallback) {
            JsonNode node = parent.get(field);
            if (node == null || node.isNull()) {
                return fallback;
            }
            try {
                return duration(node.asText());
            } catch (IllegalArgumentException e) {
                problem("settings." + field, e.getMessage());
                return fallback;
            }
        }

        ShipperSettings settings(JsonNode node) {
            ShipperSettings d = ShipperSettings.defaults();
            if (node == null || node.isNull()) {
                return d;
            }
            if (!node.isObject()) {
                problem("settings", "must be an object");
                return d;
            }
            unknown(node, "settings.", SETTINGS);
            try {
                return new ShipperSettings(time(node, "pollInterval", d.pollInterval()), time(node, "scanInterval", d.scanInterval()),
                        time(node, "rotateWait", d.rotateWait()), time(node, "partialLineTimeout", d.partialLineTimeout()),
                        time(node, "multilineTimeout", d.multilineTimeout()),
                        intNumber(node, "maxLineBytes", "settings.maxLineBytes", d.maxLineBytes()),
                        intNumber(node, "maxEventBytes", "settings.maxEventBytes", d.maxEventBytes()),
                        intNumber(node, "maxInFlightRecords", "settings.maxInFlightRecords", d.maxInFlightRecords()),
                        number(node, "maxInFlightBytes", "settings.maxInFlightBytes", d.maxInFlightBytes()),
                        intNumber(node, "maxOpenFiles", "settings.maxOpenFiles", d.maxOpenFiles()),
                        time(node, "deliveryTimeout", d.deliveryTimeout()), time(node, "retryBackoff", d.retryBackoff()));
            } catch (ShipperSettings.Invalid e) {
                e.problems().forEach((name, what) -> problem("settings." + name, what));
                return d;
            }
        }
    }
}
