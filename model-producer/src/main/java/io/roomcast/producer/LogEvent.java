package io.roomcast.producer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Objects;

/**
 * One operational log line as a room event ({@code type: log}), in the shape the log shipper
 * writes ({@code io.roomcast.shipper.LogRecordEvent}, see {@code docs/log-shipper.md}):
 * {@code {"line","level","time","logger","thread","source":{"file","host","service","pid"}}}.
 * {@code source.file} is {@value #SOURCE_FILE} (there is no file; the shipper uses {@code <stdin>}
 * likewise); {@code service} and {@code pid} are extra fields, which readers ignore if they do not
 * know them. Kept in this one class so it can be aligned with the shipper's shape in one place.
 */
public record LogEvent(String line, String level, Instant time, String logger, String thread, LogSource source) {
    public static final String SOURCE_FILE = "<model-producer>";
    public static final String INFO = "INFO";
    public static final String WARN = "WARN";
    public static final String ERROR = "ERROR";

    public LogEvent {
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(logger, "logger");
        Objects.requireNonNull(thread, "thread");
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
                .put("logger", logger)
                .put("thread", thread);
        data.putObject("source").put("file", SOURCE_FILE).put("host", source.host()).put("service", source.service()).put("pid", source.pid());
        return data;
    }
}
