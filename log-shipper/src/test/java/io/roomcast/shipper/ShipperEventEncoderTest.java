package io.roomcast.shipper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ShipperEventEncoderTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldWriteTheDocumentedShape() throws Exception {
        LogRecordEvent event = new LogRecordEvent("12:00:00.000 [main] ERROR c.e.A - x\n\tat a.b(C.java:1)", "ERROR",
                "2025-01-07T11:00:00Z", "c.e.A", "main", false,
                new LogRecordEvent.Source("/var/log/api.log", "web-1", 4711L, 88L));

        JsonNode node = json.readTree(new EventEncoder(1_000_000).encode(event).value());

        assertThat(node.toString()).isEqualTo("{\"line\":\"12:00:00.000 [main] ERROR c.e.A - x\\n\\tat a.b(C.java:1)\","
                + "\"level\":\"ERROR\",\"time\":\"2025-01-07T11:00:00Z\",\"logger\":\"c.e.A\",\"thread\":\"main\","
                + "\"source\":{\"file\":\"/var/log/api.log\",\"host\":\"web-1\",\"offset\":4711,\"lineNo\":88}}");
        assertThat(LogRecordEvent.fromJson(event.toJson())).isEqualTo(event);
    }

    @Test
    void shouldLeaveOutWhatIsUnknown() throws Exception {
        LogRecordEvent event = LogRecordEvent.of("hello", new LogRecordEvent.Source("<stdin>", "h", 0L, null));

        assertThat(new String(event.toJson(), StandardCharsets.UTF_8))
                .isEqualTo("{\"line\":\"hello\",\"source\":{\"file\":\"<stdin>\",\"host\":\"h\",\"offset\":0}}");
    }

    @Test
    void shouldCutARecordThatWouldExceedTheLimitEvenWhenEscapingInflatesIt() throws Exception {
        // 300,000 control characters become 1.8 MB of \\u0001 escapes.
        String line = "\u0001".repeat(300_000) + "é".repeat(10_000);
        LogRecordEvent event = LogRecordEvent.of(line, new LogRecordEvent.Source("/f", "h", 0L, 1L));

        EventEncoder.Encoded encoded = new EventEncoder(100_000).encode(event);

        assertThat(encoded.cut()).isTrue();
        assertThat(encoded.value().length).isLessThanOrEqualTo(100_000).isGreaterThan(90_000);
        LogRecordEvent back = LogRecordEvent.fromJson(encoded.value());
        assertThat(back.line()).endsWith(EventEncoder.MARKER);
        assertThat(back.truncated()).isTrue();
    }

    @Test
    void shouldMeasureJsonLengthLikeTheEventWriter() {
        String text = "a\"\\\n\t\u0001é€\uD83D\uDE00";
        LogRecordEvent.Source source = new LogRecordEvent.Source("f", "h", 0L, null);
        int withText = LogRecordEvent.of(text, source).toJson().length;
        int empty = LogRecordEvent.of("", source).toJson().length;

        assertThat(EventEncoder.jsonLength(text)).isEqualTo(withText - empty);
        assertThat(new String(LogRecordEvent.of(text, source).toJson(), StandardCharsets.UTF_8)).contains("\uD83D\uDE00");
    }
}
