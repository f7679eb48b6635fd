package io.roomcast.shipper;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * One log record as it is stored in a {@code logs:*} room: the record value of a Kafka record
 * whose header {@code type} is {@value #TYPE}. The log shipper writes it for every record it
 * reads; the model producer publishes its own log lines in the same shape, so a dashboard reads
 * one format. {@code docs/log-shipper.md} specifies it field by field.
 *
 * <pre>{@code
 * {"line":"2025-01-07 12:00:01,120 [main] ERROR c.e.Api - boom\n\tat c.e.Api.run(Api.java:3)",
 *  "level":"ERROR","time":"2025-01-07T11:00:01.120Z","logger":"c.e.Api","thread":"main",
 *  "source":{"file":"/var/log/api.log","host":"web-1","offset":4711,"lineNo":88}}
 * }</pre>
 *
 * @param line      the raw record text, always present: the lines of a multiline record joined
 *                  with {@code \n}, without the final line end; invalid UTF-8 replaced by U+FFFD
 * @param level     the normalised level ({@code TRACE DEBUG INFO WARN ERROR FATAL}), absent if unknown
 * @param time      when the record says it happened, ISO-8601 in UTC ({@code Instant.toString()}),
 *                  absent if the record carries no time the parser recognises
 * @param logger    the logger, syslog tag or application name, absent if unknown
 * @param thread    the thread name, absent if unknown
 * @param truncated {@code true} when text was cut to respect the size limits, otherwise absent
 * @param source    where the record was read
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LogRecordEvent(String line, String level, String time, String logger, String thread,
                             Boolean truncated, Source source) {
    /** The value of the record header {@code type}. */
    public static final String TYPE = "log";

    /** Writes characters outside the BMP as 4-byte UTF-8 rather than as pairs of {@code \\u} escapes. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();

    public LogRecordEvent {
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(source, "source");
        if (Boolean.FALSE.equals(truncated)) {
            truncated = null;
        }
    }

    /**
     * Where a record was read.
     *
     * @param file   the path the file had when the record was read, or {@code <stdin>}
     * @param host   the host name of the shipper (configurable)
     * @param offset the byte offset of the record's first byte in the file (since the last truncation)
     * @param lineNo the 1-based number of the record's first line, absent when the shipper did
     *               not read the file from its start
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Source(String file, String host, Long offset, Long lineNo) {
        public Source {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(host, "host");
        }
    }

    /** A record with only the text and where it came from, for publishers that know nothing more. */
    public static LogRecordEvent of(String line, Source source) {
        return new LogRecordEvent(line, null, null, null, null, null, source);
    }

    /** {@link #time} as an instant, if present and well-formed. */
    public Optional<Instant> instant() {
        if (time == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(time));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** This event with another line text and truncation flag. */
    public LogRecordEvent withLine(String newLine, boolean cut) {
        return new LogRecordEvent(newLine, level, time, logger, thread, cut || Boolean.TRUE.equals(truncated), source);
    }

    /** The UTF-8 JSON record value. */
    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a record value written by {@link #toJson()} (unknown fields are ignored). */
    public static LogRecordEvent fromJson(byte[] value) throws IOException {
        return JSON.readValue(value, LogRecordEvent.class);
    }
}
