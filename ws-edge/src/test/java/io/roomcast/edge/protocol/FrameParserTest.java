package io.roomcast.edge.protocol;

import io.roomcast.position.StartPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FrameParserTest {
    private final FrameParser parser = new FrameParser();

    private ClientFrame one(String text) {
        List<ClientFrame> frames = parser.parse(text);
        assertThat(frames).hasSize(1);
        return frames.get(0);
    }

    @Test
    void shouldParseEveryFromForm() {
        assertThat(((ClientFrame.Subscribe) one("{\"op\":\"subscribe\",\"id\":1,\"room\":\"chat:a\"}")).from()).isEqualTo(StartPoint.LATEST);
        assertThat(((ClientFrame.Subscribe) one("{\"op\":\"subscribe\",\"room\":\"chat:a\",\"from\":\"latest\"}")).from()).isEqualTo(StartPoint.LATEST);
        assertThat(((ClientFrame.Subscribe) one("{\"op\":\"subscribe\",\"room\":\"chat:a\",\"from\":\"earliest\"}")).from()).isEqualTo(StartPoint.EARLIEST);
        assertThat(((ClientFrame.Subscribe) one("{\"op\":\"subscribe\",\"room\":\"chat:a\",\"from\":{\"after\":41,\"epoch\":\"E\"}}")).from())
                .isEqualTo(new StartPoint.After(41, new io.roomcast.position.Epoch("E")));
        assertThat(((ClientFrame.Subscribe) one("{\"op\":\"subscribe\",\"room\":\"chat:a\",\"from\":{\"last\":100}}")).from())
                .isEqualTo(new StartPoint.Last(100));
        assertThat(((ClientFrame.Subscribe) one("{\"op\":\"subscribe\",\"room\":\"chat:a\",\"from\":{\"time\":1764000000000}}")).from())
                .isEqualTo(new StartPoint.Time(1764000000000L));
    }

    @Test
    void shouldKeepPublishedDataAsCompactJsonAndDefaultTheType() {
        ClientFrame.Publish p = (ClientFrame.Publish) one("{\"op\":\"publish\",\"id\":\"x\",\"room\":\"chat:a\",\"data\":{ \"text\" : \"hi\" }}");
        assertThat(new String(p.data(), StandardCharsets.UTF_8)).isEqualTo("{\"text\":\"hi\"}");
        assertThat(p.type()).isEqualTo("message");
        assertThat(p.id().asText()).isEqualTo("x");
        assertThat(new String(((ClientFrame.Publish) one("{\"op\":\"publish\",\"room\":\"chat:a\",\"data\":null}")).data(),
                StandardCharsets.UTF_8)).isEqualTo("null");
    }

    @Test
    void shouldKeepPublishedNumbersTheirValue() {
        ClientFrame.Publish p = (ClientFrame.Publish) one("{\"op\":\"publish\",\"id\":1,\"room\":\"chat:a\",\"data\":"
                + "[1e400,0.1000000000000000055511151231257827,12345678901234567890123,-0.0,2.50]}");
        // Numbers, not strings, and the same numbers (a double would make the first "Infinity" and round the second).
        assertThat(new String(p.data(), StandardCharsets.UTF_8))
                .isEqualTo("[1E+400,0.1000000000000000055511151231257827,12345678901234567890123,0.0,2.50]");
    }

    @Test
    void shouldKeepPublishedTextItsUtf8Bytes() {
        String emoji = "\uD83D\uDE00";
        ClientFrame.Publish p = (ClientFrame.Publish) one("{\"op\":\"publish\",\"id\":1,\"room\":\"chat:a\",\"data\":"
                + "{\"t\":\"" + emoji + "\u20ac\",\"lone\":\"\\ud83d\",\"" + emoji + "\":1}}");
        // four bytes for the emoji (not two 6-byte escapes, which the payload limit would count as 12), three for the euro;
        // a lone surrogate is not UTF-8 and stays an escape
        assertThat(new String(p.data(), StandardCharsets.UTF_8))
                .isEqualTo("{\"t\":\"" + emoji + "\u20ac\",\"lone\":\"\\uD83D\",\"" + emoji + "\":1}");
        assertThat(p.data()).hasSize(40);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
            "not json at all                                                   | not valid JSON",
            "{\"op\":\"subscribe\"                                              | not valid JSON",
            "{\"op\":\"ping\",\"id\":1}{\"op\":\"ping\",\"id\":2}                | not valid JSON",
            "{\"op\":\"ping\",\"id\":1} garbage                                    | not valid JSON",
            "[{\"op\":\"ping\",\"id\":1}] []                                       | not valid JSON",
            "''                                                                | empty",
            "42                                                                | JSON object",
            "\"subscribe\"                                                     | JSON object",
            "{}                                                                | missing op",
            "{\"op\":7}                                                        | missing op",
            "{\"op\":\"explode\",\"id\":1}                                     | unknown op",
            "{\"op\":\"subscribe\",\"id\":1}                                   | missing room",
            "{\"op\":\"subscribe\",\"id\":1,\"room\":\"chat:a b\"}             | invalid room name",
            "{\"op\":\"subscribe\",\"id\":1,\"room\":[]}                       | missing room",
            "{\"op\":\"subscribe\",\"id\":{},\"room\":\"chat:a\"}              | id must be",
            "{\"op\":\"subscribe\",\"room\":\"chat:a\",\"from\":\"yesterday\"} | invalid from",
            "{\"op\":\"subscribe\",\"room\":\"chat:a\",\"from\":{\"after\":1}} | needs the epoch",
            "{\"op\":\"subscribe\",\"room\":\"chat:a\",\"from\":{\"after\":\"x\",\"epoch\":\"E\"}} | integer offset",
            "{\"op\":\"subscribe\",\"room\":\"chat:a\",\"from\":{\"after\":-5,\"epoch\":\"E\"}} | after must be",
            "{\"op\":\"subscribe\",\"room\":\"chat:a\",\"from\":{\"last\":0}}  | last must be",
            "{\"op\":\"subscribe\",\"room\":\"chat:a\",\"from\":{\"last\":99999999}} | last must be",
            "{\"op\":\"subscribe\",\"room\":\"chat:a\",\"from\":{\"time\":-1}} | time must be",
            "{\"op\":\"subscribe\",\"room\":\"chat:a\",\"from\":{\"nope\":1}}  | expected one of",
            "{\"op\":\"subscribe\",\"room\":\"chat:a\",\"from\":{\"last\":3,\"time\":5}} | name one start",
            "{\"op\":\"subscribe\",\"room\":\"chat:a\",\"from\":{\"after\":1,\"epoch\":\"E\",\"last\":3}} | name one start",
            "{\"op\":\"publish\",\"room\":\"chat:a\"}                          | needs data",
            "{\"op\":\"publish\",\"room\":\"chat:a\",\"data\":1,\"type\":\"a b\"} | type must be",
            "{\"op\":\"publish\",\"room\":\"chat:a\",\"data\":1,\"eventId\":\"\"} | eventId must be",
            "{\"op\":\"publish\",\"room\":\"chat:a\",\"data\":1,\"publisherKey\":\"short\"} | publisherKey must be",
            "{\"op\":\"publish\",\"room\":\"chat:a\",\"data\":1,\"publisherKey\":42} | publisherKey must be",
            "{\"op\":\"publish\",\"room\":\"chat:a\",\"data\":1,\"publisherKey\":\"has spaces in it, sixteen+\"} | publisherKey must be",
    })
    void shouldTurnGarbageIntoAClearBadRequest(String text, String message) {
        ClientFrame frame = one(text);
        assertThat(frame).isInstanceOf(ClientFrame.Invalid.class);
        ClientFrame.Invalid invalid = (ClientFrame.Invalid) frame;
        assertThat(invalid.code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(invalid.message()).contains(message);
    }

    @Test
    void shouldSayWhichJsonLimitAFrameExceeds() {
        ClientFrame number = one("{\"op\":\"publish\",\"id\":1,\"room\":\"chat:a\",\"data\":" + "9".repeat(1001) + "}");
        assertThat(((ClientFrame.Invalid) number).message()).startsWith("frame is not valid JSON: Number value length (1001) exceeds");
        ClientFrame deep = one("{\"op\":\"publish\",\"room\":\"chat:a\",\"data\":" + "[".repeat(64) + "]".repeat(64) + "}");
        assertThat(((ClientFrame.Invalid) deep).message()).startsWith("frame is not valid JSON: Document nesting depth (65) exceeds");
        assertThat(one("{\"op\":\"publish\",\"id\":1,\"room\":\"chat:a\",\"data\":" + "9".repeat(1000) + "}"))
                .isInstanceOf(ClientFrame.Publish.class);
    }

    @Test
    void shouldTakeNullInsideFromForAbsentAndRefuseAPresenceQueryWithoutId() {
        assertThat(((ClientFrame.Subscribe) one("{\"op\":\"subscribe\",\"id\":1,\"room\":\"chat:a\",\"from\":{\"time\":0,\"last\":null}}")).from())
                .isEqualTo(new StartPoint.Time(0));
        assertThat(((ClientFrame.Invalid) one("{\"op\":\"presence\",\"room\":\"chat:a\"}")).message()).isEqualTo("presence needs an id");
        assertThat(((ClientFrame.Invalid) one("{\"op\":\"presence\",\"id\":null,\"room\":\"chat:a\"}")).message()).isEqualTo("presence needs an id");
    }

    @Test
    void shouldTakeANullIdForNoId() {
        assertThat(one("{\"op\":\"ping\",\"id\":null}")).isEqualTo(new ClientFrame.Ping(null));
        assertThat(((ClientFrame.Publish) one("{\"op\":\"publish\",\"id\":null,\"room\":\"chat:a\",\"data\":1}")).id()).isNull();
    }

    @Test
    void shouldAnswerEachElementOfABatchAndRefuseHugeBatches() {
        List<ClientFrame> frames = parser.parse("[{\"op\":\"ping\",\"id\":1}, 5, {\"op\":\"nope\"}]");
        assertThat(frames).hasSize(3);
        assertThat(frames.get(0)).isInstanceOf(ClientFrame.Ping.class);
        assertThat(frames.get(1)).isInstanceOf(ClientFrame.Invalid.class);
        assertThat(frames.get(2)).isInstanceOf(ClientFrame.Invalid.class);

        String huge = "[" + "{\"op\":\"ping\"},".repeat(FrameParser.MAX_BATCH) + "{\"op\":\"ping\"}]";
        assertThat(parser.parse(huge)).singleElement().isInstanceOf(ClientFrame.Invalid.class);
        assertThat(parser.parse("[]")).singleElement().isInstanceOfSatisfying(ClientFrame.Invalid.class,
                empty -> assertThat(empty.message()).contains("batch is empty"));
    }

    @Test
    void shouldRefuseAbsurdNesting() {
        String deep = "{\"op\":\"publish\",\"room\":\"chat:a\",\"data\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThat(one(deep)).isInstanceOf(ClientFrame.Invalid.class);
    }
}
