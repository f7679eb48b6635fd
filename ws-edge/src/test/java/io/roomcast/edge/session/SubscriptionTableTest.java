package io.roomcast.edge.session;

import io.roomcast.edge.protocol.ErrorCode;
import io.roomcast.room.RoomName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriptionTableTest {
    private static final RoomName A = RoomName.of("chat:a");
    private static final RoomName B = RoomName.of("chat:b");
    private static final RoomName C = RoomName.of("chat:c");

    @Test
    void shouldRefuseASecondSubscriptionToTheSameRoom() {
        SubscriptionTable table = new SubscriptionTable(10);
        assertThat(table.admit(A).allowed()).isTrue();
        table.reserve(A);
        assertThat(table.admit(A).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(table.admit(A).message()).isEqualTo("already subscribed to chat:a");
        assertThat(table.admit(B).allowed()).isTrue();
    }

    @Test
    void shouldRefuseSubscriptionsBeyondTheLimitUntilOneEnds() {
        SubscriptionTable table = new SubscriptionTable(2);
        table.reserve(A);
        table.reserve(B);
        assertThat(table.admit(C).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        assertThat(table.admit(C).message()).isEqualTo("at most 2 subscriptions per connection");
        assertThat(table.size()).isEqualTo(2);
        assertThat(table.remove(A)).isNotNull();
        assertThat(table.admit(C).allowed()).isTrue();
    }

    @Test
    void shouldHoldAnUnsubscribeUnderWayUntilItIsAnswered() {
        SubscriptionTable table = new SubscriptionTable(10);
        assertThat(table.leaving(A)).isNull();
        CompletableFuture<Void> first = table.leave(A);
        CompletableFuture<Void> second = table.leave(A);
        assertThat(table.leaving(A)).as("the latest: it is answered after the earlier one").isSameAs(second);
        assertThat(table.leaving(B)).isNull();

        table.left(A, first);
        assertThat(first).isCompleted();
        assertThat(table.leaving(A)).as("an earlier answer leaves the later one waiting").isSameAs(second);
        table.left(A, second);
        assertThat(second).isCompleted();
        assertThat(table.leaving(A)).isNull();
    }

    @Test
    void shouldTellNotSubscribedRoomsByNoSlot() {
        SubscriptionTable table = new SubscriptionTable(2);
        assertThat(table.remove(A)).isNull();
        SubscriptionTable.Slot slot = table.reserve(A);
        assertThat(table.remove(A)).isSameAs(slot);
        assertThat(table.remove(A)).isNull();
    }

    @Test
    void shouldRemoveASlotOnlyWhileItIsStillTheRooms() {
        SubscriptionTable table = new SubscriptionTable(2);
        SubscriptionTable.Slot first = table.reserve(A);
        table.remove(A);
        SubscriptionTable.Slot second = table.reserve(A);
        // A late failure of the first subscription must not end the second.
        assertThat(table.remove(A, first)).isFalse();
        assertThat(table.holds(A, first)).isFalse();
        assertThat(table.holds(A, second)).isTrue();
        assertThat(table.remove(A, second)).isTrue();
        assertThat(table.size()).isZero();
    }

    @Test
    void shouldHandBackEverySlotOnCloseAndAdmitNoMore() {
        SubscriptionTable table = new SubscriptionTable(5);
        SubscriptionTable.Slot a = table.reserve(A);
        SubscriptionTable.Slot b = table.reserve(B);
        List<SubscriptionTable.Slot> slots = table.close();
        assertThat(slots).containsExactlyInAnyOrder(a, b);
        assertThat(table.size()).isZero();
        assertThat(table.holds(A, a)).isFalse();
        assertThat(table.admit(C).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(table.statuses()).isEmpty();
    }

    @Test
    void shouldRefuseToFillASlotThatEnded() {
        SubscriptionTable table = new SubscriptionTable(5);
        SubscriptionTable.Slot slot = table.reserve(A);
        table.close().forEach(SubscriptionTable.Slot::end);
        // The room was still being located when the connection closed: its subscription must not start.
        assertThat(slot.fill(null)).isFalse();
        assertThat(slot.subscription()).isNull();
        assertThat(slot.status()).isNull();
    }
}
