package io.roomcast.handover;

import io.roomcast.event.RoomEvent;
import io.roomcast.room.RoomName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HandoverBufferTest {
    private static final RoomName ROOM = RoomName.of("chat:x");

    private static RoomEvent at(long offset) {
        return new RoomEvent(ROOM, offset, null, 0, new byte[0], null);
    }

    @Test
    void shouldYieldOnlyBufferedEventsAboveTheLastDeliveredOffset() {
        HandoverBuffer buffer = new HandoverBuffer(10);
        List.of(10L, 11L, 13L, 17L).forEach(o -> buffer.offer(at(o)));

        assertThat(buffer.drainAbove(11)).extracting(RoomEvent::offset).containsExactly(13L, 17L);
        assertThat(buffer.size()).isZero();
    }

    @Test
    void shouldNeverYieldADuplicateEvenIfLiveRepeatsAnOffset() {
        HandoverBuffer buffer = new HandoverBuffer(10);
        List.of(10L, 10L, 12L, 11L, 13L).forEach(o -> buffer.offer(at(o)));

        assertThat(buffer.drainAbove(9)).extracting(RoomEvent::offset).containsExactly(10L, 12L, 13L);
    }

    @Test
    void shouldDropEverythingAndRefuseToDrainWhenItOverflows() {
        HandoverBuffer buffer = new HandoverBuffer(2);
        assertThat(buffer.offer(at(1))).isTrue();
        assertThat(buffer.offer(at(2))).isTrue();
        assertThat(buffer.offer(at(3))).isFalse();
        assertThat(buffer.offer(at(4))).isFalse();

        assertThat(buffer.overflowed()).isTrue();
        assertThat(buffer.size()).isZero();
        assertThatThrownBy(() -> buffer.drainAbove(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldOverflowOnTheBytesOfItsEventsBelowItsCount() {
        HandoverBuffer buffer = new HandoverBuffer(10_000);
        byte[] large = new byte[(int) (HandoverBuffer.MAX_BYTES / 4)];
        for (int i = 0; i < 4; i++) {
            assertThat(buffer.offer(new RoomEvent(ROOM, i, null, 0, large, null))).isTrue();
        }
        assertThat(buffer.offer(at(4))).as("an empty event still fits").isTrue();
        assertThat(buffer.offer(new RoomEvent(ROOM, 5, null, 0, new byte[1], null))).isFalse();
        assertThat(buffer.overflowed()).isTrue();
        assertThat(buffer.size()).isZero();
    }

    @Test
    void shouldCountItsBytesAfreshOnceDrained() {
        HandoverBuffer buffer = new HandoverBuffer(10_000);
        byte[] large = new byte[(int) (HandoverBuffer.MAX_BYTES / 2)];
        buffer.offer(new RoomEvent(ROOM, 1, null, 0, large, null));
        buffer.offer(new RoomEvent(ROOM, 2, null, 0, large, null));
        assertThat(buffer.drainAbove(0)).hasSize(2);
        assertThat(buffer.offer(new RoomEvent(ROOM, 3, null, 0, large, null))).isTrue();
        assertThat(buffer.overflowed()).isFalse();
    }
}
