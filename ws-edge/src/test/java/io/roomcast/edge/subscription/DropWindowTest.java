package io.roomcast.edge.subscription;

import io.roomcast.event.RoomEvent;
import io.roomcast.room.RoomName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class DropWindowTest {
    private static final RoomName ROOM = RoomName.of("chat:x");

    private static RoomEvent at(long offset) {
        return new RoomEvent(ROOM, offset, null, 0, new byte[0], null);
    }

    @Test
    void shouldDropTheOldestAndReportTheRangeOnce() {
        DropWindow w = new DropWindow(2);
        assertThat(w.isClear()).isTrue();
        assertThat(w.add(at(1))).isFalse();
        assertThat(w.add(at(2))).isFalse();
        assertThat(w.add(at(3))).isTrue();
        assertThat(w.add(at(5))).isTrue();
        assertThat(w.isClear()).isFalse();

        String notice = StandardCharsets.UTF_8.decode(w.takeNotice(ROOM)).toString();
        assertThat(notice).contains("\"op\":\"dropped\"").contains("\"count\":2").contains("\"first\":1").contains("\"last\":2");
        assertThat(w.takeNotice(ROOM)).isNull();
        assertThat(w.poll().offset()).isEqualTo(3);
        assertThat(w.poll().offset()).isEqualTo(5);
        assertThat(w.isClear()).isTrue();
    }

    @Test
    void shouldKeepOnlyTheNewestForLatestOnly() {
        DropWindow w = new DropWindow(1);
        for (long o = 10; o < 15; o++) {
            w.add(at(o));
        }
        assertThat(w.size()).isEqualTo(1);
        assertThat(w.peek().offset()).isEqualTo(14);
        assertThat(StandardCharsets.UTF_8.decode(w.takeNotice(ROOM)).toString()).contains("\"count\":4").contains("\"first\":10").contains("\"last\":13");
    }
}
