package io.roomcast.producer.openai;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProducerSseReaderTest {

    static Stream<Arguments> streams() {
        return Stream.of(
                Arguments.of("one event", "data: hello\n\n", List.of(SseEvent.data("hello"))),
                Arguments.of("no space after colon", "data:hello\n\n", List.of(SseEvent.data("hello"))),
                Arguments.of("only one space is stripped", "data:  two\n\n", List.of(SseEvent.data(" two"))),
                Arguments.of("multi-line data joined by LF", "data: a\ndata: b\ndata:\n\n", List.of(SseEvent.data("a\nb\n"))),
                Arguments.of("CRLF line ends", "data: a\r\ndata: b\r\n\r\n", List.of(SseEvent.data("a\nb"))),
                Arguments.of("CR line ends", "data: a\rdata: b\r\r", List.of(SseEvent.data("a\nb"))),
                Arguments.of("comments are skipped", ": keep-alive\ndata: x\n: another\n\n", List.of(SseEvent.data("x"))),
                Arguments.of("a comment alone dispatches nothing", ": ping\n\n", List.of()),
                Arguments.of("event type and id", "event: error\nid: 7\ndata: {}\n\n", List.of(new SseEvent("error", "{}", "7"))),
                Arguments.of("id persists to later events", "id: 3\ndata: a\n\ndata: b\n\n", List.of(new SseEvent("message", "a", "3"), new SseEvent("message", "b", "3"))),
                Arguments.of("event type resets after dispatch", "event: x\ndata: a\n\ndata: b\n\n", List.of(new SseEvent("x", "a", ""), SseEvent.data("b"))),
                Arguments.of("event without data is dropped", "event: x\n\ndata: b\n\n", List.of(SseEvent.data("b"))),
                Arguments.of("unknown fields and retry ignored", "retry: 10\nfoo: bar\ndata: a\n\n", List.of(SseEvent.data("a"))),
                Arguments.of("field without colon", "data\n\n", List.of(SseEvent.data(""))),
                Arguments.of("leading BOM skipped", "\uFEFFdata: a\n\n", List.of(SseEvent.data("a"))),
                Arguments.of("unterminated last event discarded", "data: a\n\ndata: b\n", List.of(SseEvent.data("a"))),
                Arguments.of("unterminated last line discarded", "data: a\n\ndata: b", List.of(SseEvent.data("a"))),
                Arguments.of("several blank lines", "\n\n\ndata: a\n\n\n\n", List.of(SseEvent.data("a"))),
                Arguments.of("colon in value kept", "data: {\"a\":1}\n\n", List.of(SseEvent.data("{\"a\":1}"))),
                Arguments.of("DONE marker", "data: [DONE]\n\n", List.of(SseEvent.data("[DONE]"))),
                Arguments.of("empty stream", "", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void shouldParseEventStreams(String name, String input, List<SseEvent> expected) throws IOException {
        assertThat(readAll(input, 1000, 1000)).isEqualTo(expected);
    }

    @Test
    void shouldFailOnOverlongLine() {
        assertThatThrownBy(() -> readAll("data: " + "x".repeat(100) + "\n\n", 50, 1000)).isInstanceOf(SseFormatException.class);
    }

    @Test
    void shouldFailOnOverlongEvent() {
        assertThatThrownBy(() -> readAll("data: aaaaaaaa\n".repeat(20) + "\n", 100, 50)).isInstanceOf(SseFormatException.class);
    }

    private static List<SseEvent> readAll(String input, int maxLine, int maxEvent) throws IOException {
        SseReader reader = new SseReader(new StringReader(input), maxLine, maxEvent);
        List<SseEvent> events = new ArrayList<>();
        SseEvent event;
        while ((event = reader.next()) != null) {
            events.add(event);
        }
        return events;
    }
}
