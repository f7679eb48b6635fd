package io.roomcast.producer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Objects;

/**
 * One operational log line as a room event ({@code type: log}), in the shape the log shipper
 * writes: {@code {"line","level","time","logger","source":{"host","service","pid"}}}. Kept in
 * this one class so it can be aligned with the shipper's shape in a single place.
 */
public record LogEvent(String line, String level, Instant time, String logger, LogSource source) {
    public static final String INFO = "INFO";
    public static final String WARN = "WARN";
    public static final String ERROR = "ERROR";

    public LogEvent {
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(logger, "logger");
        Objects.requireNonNull(source, "source");
    }

    /** Where log lines come from: this host and process. */
    public record LogSource(String host, String service, long pid) {
    }

    public ObjectNode toJson(ObjectMapper json) {
        ObjectNode data = json.createObjectNode()
                .put("line", line)
                .put("level", level)
                .put("time", time.toString())
                .put("logger", logger);
        data.putObject("source").put("host", source.host()).put("service", source.service()).put("pid", source.pid());
        return data;
    }
}
