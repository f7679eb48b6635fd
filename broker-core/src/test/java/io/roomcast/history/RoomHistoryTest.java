package io.roomcast.history;

import io.roomcast.event.RoomEvent;
import io.roomcast.room.RoomName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoomHistoryTest {
    private static final RoomName ROOM = RoomName.of("chat:x");

    private static RoomEvent at(long offset) {
        return new RoomEvent(ROOM, offset, null, 0, new byte[0], null);
    }

    @Test
    void shouldCoverFromItsStartUntilItEvicts() {
        RoomHistory history = new RoomHistory(3, 100);
        history.append(at(105));
        history.append(at(107));
        assertThat(history.coversFrom()).isEqualTo(100);

        history.append(at(110));
        history.append(at(111));

        assertThat(history.coversFrom()).isEqualTo(106);
        assertThat(history.all()).extracting(RoomEvent::offset).containsExactly(107L, 110L, 111L);
        assertThat(history.from(110)).extracting(RoomEvent::offset).containsExactly(110L, 111L);
    }

    @Test
    void shouldCoverOnlyWhatFollowsWhenItHasNoCapacity() {
        RoomHistory history = new RoomHistory(0, 5);
        history.append(at(9));
        assertThat(history.coversFrom()).isEqualTo(10);
        assertThat(history.all()).isEmpty();
    }

    @Test
    void shouldCountItsBytesAndEvictOldestOnDemand() {
        RoomHistory history = new RoomHistory(10, 0);
        RoomEvent big = new RoomEvent(ROOM, 1, null, 0, new byte[1000], null);
        long grown = history.append(big);
        assertThat(grown).isEqualTo(big.sizeBytes());
        history.append(at(2));
        assertThat(history.bytes()).isEqualTo(big.sizeBytes() + at(2).sizeBytes());

        assertThat(history.evictOldest()).isEqualTo(big.sizeBytes());
        assertThat(history.coversFrom()).isEqualTo(2);
        assertThat(history.evictOldest()).isEqualTo(at(2).sizeBytes());
        assertThat(history.bytes()).isZero();
        assertThat(history.evictOldest()).isZero();
        assertThat(history.coversFrom()).isEqualTo(3);
    }
}
