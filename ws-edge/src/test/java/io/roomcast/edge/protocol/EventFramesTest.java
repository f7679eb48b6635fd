package io.roomcast.edge.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.event.RoomEvent;
import io.roomcast.room.RoomName;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class EventFramesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode frame(byte[] data) throws Exception {
        return frame(new RoomEvent(RoomName.of("chat:x"), 5, "t", 9, data, null));
    }

    private static JsonNode frame(RoomEvent event) throws Exception {
        ByteBuffer b = EventFrames.encode(event).duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return JSON.readTree(bytes);
    }

    @Test
    void shouldCarryEveryFieldOfTheEvent() throws Exception {
        JsonNode f = frame(new RoomEvent(RoomName.of("logs:api/v1@eu"), 1234567890123L, "token.delta", 1700000000000L,
                "{\"text\":\"h\u00e9\"}".getBytes(StandardCharsets.UTF_8), "id-\"quoted\"\\x"));
        assertThat(f.path("op").asText()).isEqualTo("event");
        assertThat(f.path("room").asText()).isEqualTo("logs:api/v1@eu");
        assertThat(f.path("offset").asLong()).isEqualTo(1234567890123L);
        assertThat(f.path("type").asText()).isEqualTo("token.delta");
        assertThat(f.path("ts").asLong()).isEqualTo(1700000000000L);
        assertThat(f.path("data").path("text").asText()).isEqualTo("h\u00e9");
        assertThat(f.path("eventId").asText()).isEqualTo("id-\"quoted\"\\x");
        assertThat(f.has("encoding")).isFalse();
    }

    @Test
    void shouldQuoteTextThatIsNotJsonWhateverItHolds() throws Exception {
        String text = "line \"one\"\n\ttab \\ caf\u00e9 \u2603 \u0001";
        assertThat(frame(text.getBytes(StandardCharsets.UTF_8)).path("data").asText()).isEqualTo(text);
        byte[] bom = "\uFEFF{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        assertThat(frame(bom).path("data").asText()).isEqualTo("\uFEFF{\"a\":1}");
        assertThat(frame(" [1, 2] ".getBytes(StandardCharsets.UTF_8)).path("data").get(1).asInt()).isEqualTo(2);
        assertThat(frame("{}]".getBytes(StandardCharsets.UTF_8)).path("data").asText()).isEqualTo("{}]");
        assertThat(frame("NaN".getBytes(StandardCharsets.UTF_8)).path("data").asText()).isEqualTo("NaN");
    }

    @Test
    void shouldEmbedJsonUnchangedAndMakeEverythingElseSafe() throws Exception {
        assertThat(frame("{\"a\":[1,2]}".getBytes(StandardCharsets.UTF_8)).path("data").path("a").get(1).asInt()).isEqualTo(2);
        assertThat(frame("42".getBytes(StandardCharsets.UTF_8)).path("data").asInt()).isEqualTo(42);
        assertThat(frame("{} {}".getBytes(StandardCharsets.UTF_8)).path("data").asText()).isEqualTo("{} {}");
        assertThat(frame("\"unterminated".getBytes(StandardCharsets.UTF_8)).path("data").asText()).isEqualTo("\"unterminated");
        assertThat(frame(new byte[]{(byte) 0xc3, 0x28}).path("encoding").asText()).isEqualTo("base64");
        byte[] surrogateInJson = {'{', '"', 'a', '"', ':', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}'};
        JsonNode f = frame(surrogateInJson);
        assertThat(f.path("encoding").asText()).as("JSON in shape, not in UTF-8").isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(f.path("data").asText())).isEqualTo(surrogateInJson);
        assertThat(frame(new byte[0]).path("data").isNull()).isTrue();
    }

    @Test
    void shouldPassOnOnlyValuesWhoseFrameStaysWithinTheProtocolsDepth() throws Exception {
        int deepest = FrameParser.MAX_DEPTH - 1;
        String fits = "[".repeat(deepest) + "]".repeat(deepest);
        ByteBuffer b = EventFrames.encode(new RoomEvent(RoomName.of("chat:x"), 5, "t", 9, fits.getBytes(StandardCharsets.UTF_8), null));
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        // the frame is exactly as deep as the protocol allows, read by a parser that keeps the limit
        ObjectMapper strict = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder().streamReadConstraints(
                com.fasterxml.jackson.core.StreamReadConstraints.builder().maxNestingDepth(FrameParser.MAX_DEPTH).build()).build());
        JsonNode f = strict.readTree(bytes);
        assertThat(f.path("data").isArray()).isTrue();
        String deeper = "[" + fits + "]";
        assertThat(frame(deeper.getBytes(StandardCharsets.UTF_8)).path("data").asText()).as("a 64-deep value became a 65-deep frame")
                .isEqualTo(deeper);
    }

    @Test
    void shouldNotTakeUtf16OrUtf32ForJson() throws Exception {
        byte[][] wide = {{0, '{', 0, '}'}, {'[', 0, ']', 0}, {0, 0, 0, '1'}, {0, '"', 0, 'a', 0, '"'}, {'1', 0}, {0, ' ', 0, '7'}};
        for (byte[] data : wide) {
            ByteBuffer b = EventFrames.encodeFresh(new RoomEvent(RoomName.of("chat:x"), 5, "t", 9, data, null));
            String frame = StandardCharsets.UTF_8.decode(b).toString();
            JsonNode parsed = JSON.readTree(frame); // from a string: no guessing of the encoding by the reader
            assertThat(parsed.path("data").asText()).as(frame).isEqualTo(new String(data, StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldEncodeOneEventOnceForAllSubscribers() {
        RoomEvent event = new RoomEvent(RoomName.of("chat:x"), 5, "t", 9, "{}".getBytes(StandardCharsets.UTF_8), null);
        assertThat(EventFrames.encode(event)).isSameAs(EventFrames.encode(event));
    }

    @Test
    void shouldWriteWhatAGeneralJsonWriterWritesForAnyNamesNumbersAndData() throws Exception {
        Random random = new Random(11);
        String[] texts = {"", "message", "token.delta", "q\"uote", "back\\slash", "caf\u00e9 \u2603", "ctl\u0001\n\t", "x".repeat(300)};
        long[] numbers = {0, 7, 9, 10, 99, 100, 1764000000123L, Long.MAX_VALUE, -1, Long.MIN_VALUE};
        byte[][] datas = {new byte[0], "{\"a\":[1,2]}".getBytes(StandardCharsets.UTF_8), "plain \"text\"".getBytes(StandardCharsets.UTF_8),
                {(byte) 0xff, 0, 1}, "\u2603".repeat(500).getBytes(StandardCharsets.UTF_8), new byte[5000]};
        for (int i = 0; i < 500; i++) {
            String type = texts[random.nextInt(texts.length)];
            String eventId = random.nextBoolean() ? null : texts[random.nextInt(texts.length)];
            long offset = numbers[random.nextInt(numbers.length)];
            long ts = numbers[random.nextInt(numbers.length)];
            byte[] data = datas[random.nextInt(datas.length)];
            RoomEvent event = new RoomEvent(RoomName.of("chat:r" + "o".repeat(random.nextInt(190))), offset, type, ts, data, eventId);

            ByteBuffer b = EventFrames.encodeFresh(event);
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            assertThat(JSON.readTree(bytes)).as("event %d", i).isEqualTo(reference(event));
        }
    }

    /** The frame as Jackson's tree model writes it, for the data kinds the cases above use. */
    private static JsonNode reference(RoomEvent event) throws Exception {
        var node = JSON.createObjectNode().put("op", "event").put("room", event.room().value()).put("offset", event.offset())
                .put("type", event.type()).put("ts", event.timestamp());
        byte[] data = event.data();
        String text = new String(data, StandardCharsets.UTF_8);
        if (data.length == 0) {
            node.putNull("data");
        } else if (text.startsWith("{")) {
            node.set("data", JSON.readTree(data));
        } else if (data[0] == (byte) 0xff) {
            node.put("data", Base64.getEncoder().encodeToString(data)).put("encoding", "base64");
        } else {
            node.put("data", text);
        }
        if (event.eventId() != null) {
            node.put("eventId", event.eventId());
        }
        return JSON.readTree(JSON.writeValueAsBytes(node)); // read back, so numbers compare as the parser types them
    }
}
