package io.roomcast.edge.subscription;

import io.roomcast.event.RoomEvent;
import io.roomcast.room.RoomName;
import org.junit.jupiter.api.Test;

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

        assertThat(w.takeDropped()).isEqualTo(new DropWindow.Dropped(2, 1, 2));
        assertThat(w.takeDropped()).isNull();
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
        assertThat(w.takeDropped()).isEqualTo(new DropWindow.Dropped(4, 10, 13));
    }
}
