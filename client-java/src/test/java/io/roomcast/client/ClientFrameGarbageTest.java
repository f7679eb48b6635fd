package io.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.client.InboundFrame.PongFrame;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Whatever an edge (or something pretending to be one) sends, the parser answers with a clear problem, never a crash. */
class ClientFrameGarbageTest {

    private final FrameCodec codec = new FrameCodec(new ObjectMapper());

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "``                                                         | frame is empty",
            "`   `                                                      | frame is empty",
            "{                                                          | not valid JSON",
            "{\"op\":\"pong\"                                             | not valid JSON",
            "not json                                                   | not valid JSON",
            "{\"op\":\"pong\",\"id\":1}}                                  | not valid JSON",
            "{\"op\":\"pong\"} trailing                                   | not valid JSON",
            "{'op':'pong'}                                              | not valid JSON",
            "{\"op\":\"pong\",\"id\":01}                                  | not valid JSON",
            "42                                                         | must be a JSON object",
            "\"pong\"                                                   | must be a JSON object",
            "null                                                       | must be a JSON object",
            "true                                                       | must be a JSON object",
            "[1]                                                        | batch[0]: frame must be a JSON object",
            "[[{\"op\":\"pong\"}]]                                        | batch[0]: frame must be a JSON object",
            "{}                                                         | no string 'op'",
            "{\"op\":null}                                              | no string 'op'",
            "{\"op\":7}                                                 | no string 'op'",
            "{\"op\":[\"event\"]}                                       | no string 'op'",
            "{\"op\":\"teleport\",\"id\":1}                               | unknown op 'teleport' ignored",
            "{\"op\":\"\"}                                              | unknown op '' ignored",
            "{\"op\":\"event\",\"room\":\"r\",\"offset\":\"42\"}          | 'offset' must be an integer",
            "{\"op\":\"event\",\"room\":\"r\",\"offset\":4.2}             | 'offset' must be an integer",
            "{\"op\":\"event\",\"room\":\"r\",\"offset\":-7}              | 'offset' must be an integer >= -1",
            "{\"op\":\"event\",\"room\":\"r\",\"offset\":99999999999999999999999} | 'offset' must be an integer",
            "{\"op\":\"event\",\"room\":\"r\"}                            | 'offset' must be an integer",
            "{\"op\":\"event\",\"room\":5,\"offset\":1}                   | 'room' must be a string",
            "{\"op\":\"event\",\"offset\":1}                              | 'room' must be a string",
            "{\"op\":\"event\",\"room\":\"r\",\"offset\":1,\"type\":{}}   | 'type' must be a string",
            "{\"op\":\"event\",\"room\":\"r\",\"offset\":1,\"ts\":\"now\"} | 'ts' must be an integer",
            "{\"op\":\"event\",\"room\":\"r\",\"offset\":1,\"eventId\":3} | 'eventId' must be a string",
            "{\"op\":\"subscribed\",\"id\":1,\"room\":\"r\"}              | 'epoch' must be a string",
            "{\"op\":\"subscribed\",\"id\":1,\"room\":\"r\",\"epoch\":\"E\",\"recovered\":\"yes\"} | 'recovered' must be a boolean",
            "{\"op\":\"subscribed\",\"id\":1,\"room\":\"r\",\"epoch\":\"E\",\"gap\":7} | 'gap' must be an object",
            "{\"op\":\"subscribed\",\"id\":1,\"room\":\"r\",\"epoch\":\"E\",\"gap\":{\"resumeAt\":\"x\"}} | 'resumeAt' must be an integer",
            "{\"op\":\"live\",\"room\":\"r\",\"offset\":true}             | 'offset' must be an integer",
            "{\"op\":\"ack\",\"id\":1}                                    | 'offset' must be an integer",
            "{\"op\":\"error\",\"id\":1,\"message\":\"m\"}                | 'code' must be a string",
            "{\"op\":\"error\",\"code\":[],\"message\":\"m\"}             | 'code' must be a string",
            "{\"op\":\"reconnect\",\"delayMs\":\"soon\"}                  | 'delayMs' must be an integer",
            "{\"op\":\"authed\",\"id\":7,\"expiresAt\":\"tomorrow\"}     | 'expiresAt' must be an integer",
            "{\"op\":\"dropped\",\"room\":\"r\",\"first\":\"a\",\"last\":3} | 'first' must be an integer",
            "{\"op\":\"event\",\"room\":\"r\",\"ephemeral\":\"yes\"}    | 'ephemeral' must be a boolean",
            "{\"op\":\"event\",\"ephemeral\":true}                    | 'room' must be a string",
            "{\"op\":\"partial\",\"room\":\"r\",\"generationId\":\"g\",\"fromSeq\":3,\"toSeq\":1,\"offset\":5,\"text\":\"\"} | toSeq 1 is below fromSeq 3",
            "{\"op\":\"partial\",\"room\":\"r\",\"generationId\":\"g\",\"fromSeq\":0,\"toSeq\":1,\"offset\":5} | 'text' must be a string",
            "{\"op\":\"snapshot\",\"id\":1,\"room\":\"r\",\"offset\":\"x\",\"epoch\":\"E\"} | 'offset' must be an integer",
            "{\"op\":\"join\",\"room\":\"r\",\"member\":\"Ann\",\"count\":1} | 'member' must be an object",
            "{\"op\":\"leave\",\"room\":\"r\",\"member\":{\"name\":\"A\"},\"count\":1} | 'client' must be a string",
            "{\"op\":\"presence\",\"room\":\"r\",\"count\":\"many\"}  | 'count' must be an integer",
            "{\"op\":\"presence\",\"room\":\"r\",\"count\":1,\"members\":{}} | 'members' must be an array"})
    void shouldReportGarbageClearly(String frame, String expectedProblem) {
        FrameCodec.Parsed parsed = codec.parse(frame);
        assertThat(parsed.frames()).isEmpty();
        assertThat(parsed.problems()).singleElement().asString().contains(expectedProblem.trim());
    }

    @Test
    void shouldKeepTheGoodFramesOfABatchWithBadOnes() {
        FrameCodec.Parsed parsed = codec.parse("[{\"op\":\"pong\",\"id\":1},7,{\"op\":\"nope\"},{\"op\":\"ack\"},{\"op\":\"pong\",\"id\":2}]");
        assertThat(parsed.frames()).containsExactly(new PongFrame(1L), new PongFrame(2L));
        assertThat(parsed.problems()).hasSize(3)
                .anySatisfy(p -> assertThat(p).startsWith("batch[1]:"))
                .anySatisfy(p -> assertThat(p).startsWith("batch[2]: unknown op 'nope'"))
                .anySatisfy(p -> assertThat(p).startsWith("batch[3]:"));
    }

    @Test
    void shouldReadAnEmptyBatchAsNothing() {
        FrameCodec.Parsed parsed = codec.parse("[]");
        assertThat(parsed.frames()).isEmpty();
        assertThat(parsed.problems()).isEmpty();
    }

    @Test
    void shouldShortenHugeGarbageInProblems() {
        String longOp = "x".repeat(100_000);
        FrameCodec.Parsed parsed = codec.parse("{\"op\":\"" + longOp + "\"}");
        assertThat(parsed.problems()).singleElement().asString().hasSizeLessThan(300);
    }

    @Test
    void shouldSurviveDeeplyNestedJson() {
        String deep = "[".repeat(5_000) + "]".repeat(5_000);
        assertThatCode(() -> codec.parse(deep)).doesNotThrowAnyException();
        assertThat(codec.parse(deep).frames()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void shouldNeverThrowOnRandomBytes(long seed) {
        Random random = new Random(seed);
        String alphabet = "{}[]\":,0123456789.-eE truefalsnl\\opventidromackgs";
        for (int i = 0; i < 2_000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(60);
            for (int j = 0; j < len; j++) {
                sb.append(random.nextInt(10) == 0 ? (char) random.nextInt(0x3000) : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertThatCode(() -> codec.parse(sb.toString())).as(sb.toString()).doesNotThrowAnyException();
        }
    }
}
