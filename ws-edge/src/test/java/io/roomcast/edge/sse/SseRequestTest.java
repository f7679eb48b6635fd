package io.roomcast.edge.sse;

import io.roomcast.position.Epoch;
import io.roomcast.position.StartPoint;
import io.roomcast.room.RoomName;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Query parameters and Last-Event-ID of GET /sse, including garbage. */
class SseRequestTest {
    private static Map<String, Deque<String>> query(String... pairs) {
        Map<String, Deque<String>> q = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            q.computeIfAbsent(pairs[i], k -> new ArrayDeque<>()).add(pairs[i + 1]);
        }
        return q;
    }

    @Test
    void shouldReadEveryStartPointForm() {
        assertThat(SseRequest.parse(query("room", "chat:a"), null, 10).rooms().get(RoomName.of("chat:a"))).isEqualTo(StartPoint.LATEST);
        assertThat(SseRequest.startPoint("earliest", 2)).isEqualTo(StartPoint.EARLIEST);
        assertThat(SseRequest.startPoint("last:100", 2)).isEqualTo(new StartPoint.Last(100));
        assertThat(SseRequest.startPoint("time:1764000000000", 2)).isEqualTo(new StartPoint.Time(1764000000000L));
        assertThat(SseRequest.startPoint("after:41:Sd2vQZ1lRW6bX4cK4mAv2g.4", 1))
                .isEqualTo(new StartPoint.After(41, new Epoch("Sd2vQZ1lRW6bX4cK4mAv2g.4")));
    }

    @Test
    void shouldResumeRoomsNamedInTheLastEventIdAndStartOthersAtFrom() {
        SseRequest r = SseRequest.parse(query("room", "chat:a", "room", "chat:b", "from", "earliest"), "chat:a~E.4~41,chat:zzz~E.4~3", 10);
        assertThat(r.rooms().get(RoomName.of("chat:a"))).isEqualTo(new StartPoint.After(41, new Epoch("E.4")));
        assertThat(r.rooms().get(RoomName.of("chat:b"))).isEqualTo(StartPoint.EARLIEST);
        assertThat(List.copyOf(r.rooms().keySet())).containsExactly(RoomName.of("chat:a"), RoomName.of("chat:b"));
    }

    @Test
    void shouldRoundTripTheEventId() {
        var positions = List.of(new StreamPosition(RoomName.of("chat:a"), new Epoch("x-_y.4"), -1),
                new StreamPosition(RoomName.of("team/@x.y-z"), new Epoch("E.2"), 99));
        String id = EventId.format(positions);
        assertThat(id).isEqualTo("chat:a~x-_y.4~-1,team/@x.y-z~E.2~99");
        assertThat(EventId.parse(id).values()).containsExactlyElementsOf(positions);
        assertThat(EventId.parse("  ")).isEmpty();
    }

    @Test
    void shouldRefuseGarbage() {
        for (String garbage : List.of("x", "a~b", "a~b~c~d", "chat:a~E~x", "chat:a~E~-2", "bad room~E~1", "chat:a~~1", "chat:a~E~1,",
                "~~", "\u0000~\u0000~\u0000", "chat:a~E~99999999999999999999")) {
            assertThatThrownBy(() -> EventId.parse(garbage)).as(garbage).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> EventId.parse("x".repeat(EventId.MAX_LENGTH + 1))).hasMessageContaining("longer");
        assertThatThrownBy(() -> EventId.parse("chat:a~E~3,chat:a~E~4")).hasMessage("Last-Event-ID names room chat:a twice");
        for (String from : List.of("", "last", "last:", "last:x", "last:0", "last:10001", "time:-1", "after:1", "after:x:E", "yesterday")) {
            assertThatThrownBy(() -> SseRequest.startPoint(from, 1)).as(from).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> SseRequest.parse(query("room", "chat:a", "room", "chat:b", "room", "chat:c"), null, 2))
                .hasMessageContaining("at most 2");
        assertThatThrownBy(() -> SseRequest.parse(query("room", "chat:a", "from", "earliest", "from", "latest"), null, 2))
                .hasMessageContaining("once");
        assertThatThrownBy(() -> SseRequest.parse(query("room", "x".repeat(300)), null, 2)).hasMessageContaining("invalid room name");
    }
}
