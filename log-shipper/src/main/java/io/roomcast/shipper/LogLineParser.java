package io.roomcast.shipper;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises time, level, logger and thread in the first line of a log record. Layouts, tried
 * in order:
 *
 * <ol>
 *   <li>JSON object lines ({@link JsonLogFields});</li>
 *   <li>syslog RFC 5424 ({@code <165>1 2003-10-11T22:14:15.003Z host app - - - msg}) and
 *       RFC 3164 ({@code <34>Oct 11 22:14:15 host su[12]: msg}, with or without the priority);</li>
 *   <li>a date-time prefix (ISO-8601, log4j's {@code yyyy-MM-dd HH:mm:ss,SSS}, nginx's
 *       {@code yyyy/MM/dd HH:mm:ss}) or a time-of-day prefix (logback's and log4j2's default
 *       {@code HH:mm:ss.SSS}), optionally in brackets, followed by one of: logback/log4j2
 *       {@code [thread] LEVEL logger - msg}, log4j {@code LEVEL [thread] logger - msg}, Spring Boot
 *       {@code LEVEL pid --- [thread] logger : msg}, a bare {@code LEVEL}, or a syslog-style
 *       {@code host tag[pid]:};</li>
 *   <li>logfmt ({@code time=... level=info msg=...});</li>
 *   <li>a leading level word ({@code [ERROR] msg}, Python's {@code WARNING:root:msg}).</li>
 * </ol>
 *
 * Nothing recognised is not an error: the record is shipped with its raw line only.
 * Thread-safe; the clock and zone resolve timestamps that lack a date, year or offset.
 */
final class LogLineParser {
    private static final String LEVEL = "(?i:" + LogLevels.WORDS + ")";
    private static final Pattern RFC5424 = Pattern.compile("^<(\\d{1,3})>1 (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) ");
    private static final Pattern RFC3164 = Pattern.compile(
            "^(?:<(\\d{1,3})>)?([A-Z][a-z]{2}) {1,2}(\\d{1,2}) (\\d{2}:\\d{2}:\\d{2}) (\\S+) ([^:\\[\\s]+)(?:\\[\\d+])?: ");
    private static final Pattern DATE_TIME = Pattern.compile(
            "^\\[?(\\d{4}[-/]\\d{2}[-/]\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d{1,9})?(?:\\s?(?:Z|[+-]\\d{2}(?::?\\d{2})?))?)]?");
    private static final Pattern TIME_OF_DAY = Pattern.compile("^\\[?(\\d{2}:\\d{2}:\\d{2})(?:[.,](\\d{1,9}))?]?(?=\\s)");
    private static final Pattern LOGFMT_LEVEL = Pattern.compile("(?:^|\\s)(?:level|lvl|severity)=\"?(\\w+)\"?(?=\\s|$)");
    private static final Pattern LOGFMT_TIME = Pattern.compile("(?:^|\\s)(?:time|ts|timestamp)=\"?([^\\s\"]+)\"?(?=\\s|$)");
    private static final Pattern LEADING_LEVEL = Pattern.compile("^\\[?(" + LEVEL + ")]?(?::([\\w.$-]+):|[\\s:])");

    /** What follows the timestamp: thread, level and logger in the common arrangements. */
    private record Tail(Pattern pattern, int level, int thread, int logger) {
    }

    private static final List<Tail> TAILS = List.of(
            // logback / log4j2 default: [main] INFO  c.e.Api - msg
            new Tail(Pattern.compile("^\\s+\\[([^\\]]*)]\\s+(" + LEVEL + ")\\s+([^\\s]+)\\s+-\\s"), 2, 1, 3),
            // Spring Boot: INFO 4711 --- [app] [   main] o.s.Foo : msg (the [app] part since Boot 3.2)
            new Tail(Pattern.compile("^\\s+(" + LEVEL + ")\\s+\\d+\\s+---\\s+(?:\\[[^\\]]*]\\s+)??\\[\\s*([^\\]]*?)\\s*]\\s+(\\S+)\\s+:\\s"), 1, 2, 3),
            // log4j 1 style: INFO  [main] c.e.Api - msg, or without the thread
            new Tail(Pattern.compile("^\\s+(" + LEVEL + ")\\s+(?:\\[([^\\]]*)]\\s+)?([\\w$.]+)\\s+(?:-|:)\\s"), 1, 2, 3),
            // a bare level, possibly bracketed: ERROR msg, [error] msg, | WARN | msg
            new Tail(Pattern.compile("^\\s*[\\[|]?\\s*(" + LEVEL + ")\\s*[\\]|:]?(?=\\s|$)"), 1, 0, 0),
            // syslog with a high-precision timestamp: host tag[pid]: msg
            new Tail(Pattern.compile("^\\s+[\\w.-]+\\s+([\\w./-]+)(?:\\[\\d+])?:\\s"), 0, 0, 1));

    private final Clock clock;
    private final ZoneId zone;

    LogLineParser(Clock clock, ZoneId zone) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** What the record's first line (or, for JSON, the record) reveals; never {@code null}. */
    ParsedLine parse(String record) {
        try {
            return parseUnsafe(record);
        } catch (RuntimeException e) {
            // A parser is a best effort on text written by strangers; the raw line is shipped regardless.
            return ParsedLine.NOTHING;
        }
    }

    private ParsedLine parseUnsafe(String record) {
        int newline = record.indexOf('\n');
        String first = newline < 0 ? record : record.substring(0, newline);
        if (first.startsWith("{")) {
            ParsedLine json = JsonLogFields.parse(newline < 0 ? first : record, zone);
            if (json == null && newline >= 0) {
                json = JsonLogFields.parse(first, zone);
            }
            if (json != null) {
                return json;
            }
        }
        Matcher m = RFC5424.matcher(first);
        if (m.find()) {
            Instant time = "-".equals(m.group(2)) ? null : LogTimes.parseDateTime(m.group(2), zone);
            return new ParsedLine(time, LogLevels.fromSyslogPriority(Integer.parseInt(m.group(1))), dash(m.group(4)), null);
        }
        m = RFC3164.matcher(first);
        if (m.find()) {
            Instant time = LogTimes.parseSyslog(m.group(2), m.group(3), m.group(4), zone, clock.instant());
            String level = m.group(1) == null ? null : LogLevels.fromSyslogPriority(Integer.parseInt(m.group(1)));
            return new ParsedLine(time, level, m.group(6), null);
        }
        m = DATE_TIME.matcher(first);
        if (m.find()) {
            return withTail(LogTimes.parseDateTime(m.group(1), zone), first.substring(m.end()));
        }
        m = TIME_OF_DAY.matcher(first);
        if (m.find()) {
            return withTail(LogTimes.parseTimeOfDay(m.group(1), m.group(2), zone, clock.instant()), first.substring(m.end()));
        }
        Matcher level = LOGFMT_LEVEL.matcher(first);
        if (level.find()) {
            Matcher time = LOGFMT_TIME.matcher(first);
            Instant instant = time.find() ? logfmtTime(time.group(1)) : null;
            return new ParsedLine(instant, LogLevels.normalise(level.group(1)), null, null);
        }
        m = LEADING_LEVEL.matcher(first);
        if (m.find()) {
            return new ParsedLine(null, LogLevels.normalise(m.group(1)), m.group(2), null);
        }
        return ParsedLine.NOTHING;
    }

    private Instant logfmtTime(String text) {
        Instant instant = LogTimes.parseDateTime(text, zone);
        if (instant == null && text.matches("\\d+(\\.\\d+)?")) {
            instant = LogTimes.fromEpochNumber(Double.parseDouble(text));
        }
        return instant;
    }

    private static ParsedLine withTail(Instant time, String rest) {
        for (Tail tail : TAILS) {
            Matcher m = tail.pattern().matcher(rest);
            if (m.find()) {
                return new ParsedLine(time,
                        tail.level() == 0 ? null : LogLevels.normalise(m.group(tail.level())),
                        tail.logger() == 0 ? null : m.group(tail.logger()),
                        tail.thread() == 0 ? null : m.group(tail.thread()));
            }
        }
        return new ParsedLine(time, null, null, null);
    }

    private static String dash(String value) {
        return "-".equals(value) ? null : value;
    }
}
