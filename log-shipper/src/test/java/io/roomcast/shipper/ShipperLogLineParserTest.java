package io.roomcast.shipper;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ShipperLogLineParserTest {
    /** "Now" for layouts without a date or year: 2025-03-10T12:00:00Z, in a UTC+1 zone. */
    private static final Instant NOW = Instant.parse("2025-03-10T12:00:00Z");
    private static final ZoneId ZONE = ZoneOffset.ofHours(1);
    private final LogLineParser parser = new LogLineParser(Clock.fixed(NOW, ZoneOffset.UTC), ZONE);

    static Stream<Arguments> layouts() {
        return Stream.of(
                arguments("logback default", "12:34:56.789 [main] INFO  com.example.Api - started",
                        "2025-03-10T11:34:56.789Z", "INFO", "com.example.Api", "main"),
                arguments("logback time later than now is yesterday", "23:59:59.000 [worker-1] WARN  c.e.Job - slow",
                        "2025-03-09T22:59:59Z", "WARN", "c.e.Job", "worker-1"),
                arguments("log4j ISO8601 with comma", "2025-01-07 12:00:01,120 ERROR [main] c.e.Api - boom",
                        "2025-01-07T11:00:01.120Z", "ERROR", "c.e.Api", "main"),
                arguments("log4j level without thread", "2025-01-07 12:00:01,120 DEBUG c.e.Api - details",
                        "2025-01-07T11:00:01.120Z", "DEBUG", "c.e.Api", null),
                arguments("ISO-8601 with offset and bare level", "2025-01-07T12:00:01.5+02:00 WARNING disk almost full",
                        "2025-01-07T10:00:01.500Z", "WARN", null, null),
                arguments("ISO-8601 Z bracketed level", "[2025-01-07T12:00:01Z] [error] upstream timed out",
                        "2025-01-07T12:00:01Z", "ERROR", null, null),
                arguments("Spring Boot 3", "2025-01-07T12:00:01.000Z  INFO 4711 --- [demo] [           main] o.s.b.SpringApplication  : Started",
                        "2025-01-07T12:00:01Z", "INFO", "o.s.b.SpringApplication", "main"),
                arguments("Spring Boot 2", "2025-01-07 12:00:01.000  WARN 4711 --- [  restartedMain] o.s.b.Foo : careful",
                        "2025-01-07T11:00:01Z", "WARN", "o.s.b.Foo", "restartedMain"),
                arguments("nginx error log", "2025/01/07 12:00:01 [crit] 12#0: *1 connect() failed",
                        "2025-01-07T11:00:01Z", "FATAL", null, null),
                arguments("syslog RFC 3164 with priority", "<34>Oct 11 22:14:15 mymachine su[230]: 'su root' failed",
                        "2024-10-11T21:14:15Z", "FATAL", "su", null),
                arguments("syslog file line", "Mar  9 08:00:00 web-1 sshd[99]: Accepted publickey",
                        "2025-03-09T07:00:00Z", null, "sshd", null),
                arguments("syslog RFC 5424", "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 - An application event",
                        "2003-10-11T22:14:15.003Z", "INFO", "evntslog", null),
                arguments("rsyslog high precision", "2025-01-07T12:00:01.123456+00:00 web-1 kernel: oops",
                        "2025-01-07T12:00:01.123456Z", null, "kernel", null),
                arguments("logstash JSON", "{\"@timestamp\":\"2025-01-07T12:00:01.120+01:00\",\"level\":\"ERROR\",\"logger_name\":\"c.e.Api\",\"thread_name\":\"main\",\"message\":\"boom\"}",
                        "2025-01-07T11:00:01.120Z", "ERROR", "c.e.Api", "main"),
                arguments("ECS JSON nested", "{\"@timestamp\":\"2025-01-07T12:00:01Z\",\"log\":{\"level\":\"warn\",\"logger\":\"app\"},\"message\":\"m\"}",
                        "2025-01-07T12:00:01Z", "WARN", "app", null),
                arguments("ECS JSON flat", "{\"@timestamp\":\"2025-01-07T12:00:01Z\",\"log.level\":\"info\",\"message\":\"m\"}",
                        "2025-01-07T12:00:01Z", "INFO", null, null),
                arguments("pino JSON", "{\"level\":50,\"time\":1736251201120,\"msg\":\"boom\"}",
                        "2025-01-07T12:00:01.120Z", "ERROR", null, null),
                arguments("JSON epoch seconds", "{\"ts\":1736251201.5,\"severity\":\"CRITICAL\"}",
                        "2025-01-07T12:00:01.500Z", "FATAL", null, null),
                arguments("logfmt", "time=2025-01-07T12:00:01Z level=info msg=\"hello world\"",
                        "2025-01-07T12:00:01Z", "INFO", null, null),
                arguments("python default", "WARNING:root:low disk", null, "WARN", "root", null),
                arguments("bracketed level only", "[ERROR] it broke", null, "ERROR", null, null),
                arguments("plain text", "just some words", null, null, null, null),
                arguments("not a JSON object", "{broken json", null, null, null, null),
                arguments("JSON array", "[1,2,3]", null, null, null, null),
                arguments("impossible date keeps the level", "2025-13-45 99:99:99 ERROR x", null, "ERROR", null, null),
                arguments("binary garbage", "\u0000\u0001\uFFFD\uFFFD\u0007", null, null, null, null),
                arguments("empty", "", null, null, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void shouldRecogniseTheLayout(String name, String line, String time, String level, String logger, String thread) {
        ParsedLine parsed = parser.parse(line);

        assertThat(parsed.time()).as("time").isEqualTo(time == null ? null : Instant.parse(time));
        assertThat(parsed.level()).as("level").isEqualTo(level);
        assertThat(parsed.logger()).as("logger").isEqualTo(logger);
        assertThat(parsed.thread()).as("thread").isEqualTo(thread);
    }

    @org.junit.jupiter.api.Test
    void shouldParseOnlyTheFirstLineOfAMultilineRecord() {
        ParsedLine parsed = parser.parse("12:00:00.000 [main] ERROR c.e.A - x\njava.lang.IllegalStateException: INFO\n\tat a.b(C.java:1)");

        assertThat(parsed.level()).isEqualTo("ERROR");
    }
}
