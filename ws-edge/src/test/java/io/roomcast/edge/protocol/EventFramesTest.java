package io.roomcast.edge.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.event.RoomEvent;
import io.roomcast.room.RoomName;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class EventFramesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode frame(byte[] data) throws Exception {
        ByteBuffer b = EventFrames.encode(new RoomEvent(RoomName.of("chat:x"), 5, "t", 9, data, null)).duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return JSON.readTree(bytes);
    }

    @Test
    void shouldEmbedJsonUnchangedAndMakeEverythingElseSafe() throws Exception {
        assertThat(frame("{\"a\":[1,2]}".getBytes(StandardCharsets.UTF_8)).path("data").path("a").get(1).asInt()).isEqualTo(2);
        assertThat(frame("42".getBytes(StandardCharsets.UTF_8)).path("data").asInt()).isEqualTo(42);
        assertThat(frame("{} {}".getBytes(StandardCharsets.UTF_8)).path("data").asText()).isEqualTo("{} {}");
        assertThat(frame("\"unterminated".getBytes(StandardCharsets.UTF_8)).path("data").asText()).isEqualTo("\"unterminated");
        assertThat(frame(new byte[]{(byte) 0xc3, 0x28}).path("encoding").asText()).isEqualTo("base64");
        assertThat(frame(new byte[0]).path("data").isNull()).isTrue();
    }

    @Test
    void shouldEncodeOneEventOnceForAllSubscribers() {
        RoomEvent event = new RoomEvent(RoomName.of("chat:x"), 5, "t", 9, "{}".getBytes(StandardCharsets.UTF_8), null);
        assertThat(EventFrames.encode(event)).isSameAs(EventFrames.encode(event));
    }
}
