package io.roomcast.shipper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * Reads time, level, logger and thread from a JSON log line, by the field names of the common
 * encoders: logstash-logback-encoder ({@code @timestamp level logger_name thread_name}), Elastic
 * ECS ({@code @timestamp log.level log.logger}, flat or nested), log4j2's JsonTemplateLayout,
 * pino and bunyan (numeric levels, epoch-millisecond {@code time}), zap, zerolog and Go's slog.
 * Thread-safe.
 */
final class JsonLogFields {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TIME = List.of("@timestamp", "timestamp", "time", "ts", "date", "datetime", "t");
    private static final List<String> LEVEL = List.of("level", "log.level", "severity", "lvl", "levelname", "loglevel", "severity_text");
    private static final List<String> LOGGER = List.of("logger", "logger_name", "log.logger", "loggerName", "caller_name", "component");
    private static final List<String> THREAD = List.of("thread", "thread_name", "threadName", "process.thread.name");

    private JsonLogFields() {
    }

    /** The fields of a JSON object line, or {@code null} if the text is not a JSON object. */
    static ParsedLine parse(String text, ZoneId zone) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (root == null || !root.isObject()) {
            return null;
        }
        return new ParsedLine(time(find(root, TIME), zone), level(find(root, LEVEL)),
                text(find(root, LOGGER)), text(find(root, THREAD)));
    }

    private static JsonNode find(JsonNode root, List<String> names) {
        for (String name : names) {
            JsonNode node = root.get(name);
            if (node == null && name.indexOf('.') > 0) {
                node = root.at("/" + name.replace('.', '/'));
            }
            if (node != null && !node.isMissingNode() && !node.isNull() && (node.isValueNode())) {
                return node;
            }
        }
        return null;
    }

    private static Instant time(JsonNode node, ZoneId zone) {
        if (node == null) {
            return null;
        }
        if (node.isNumber()) {
            return LogTimes.fromEpochNumber(node.asDouble());
        }
        return LogTimes.parseDateTime(node.asText(), zone);
    }

    private static String level(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isNumber()) {
            return LogLevels.fromNumber(node.asInt());
        }
        return LogLevels.normalise(node.asText());
    }

    private static String text(JsonNode node) {
        return node == null ? null : node.asText();
    }
}
