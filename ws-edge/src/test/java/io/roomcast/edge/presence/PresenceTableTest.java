package io.roomcast.edge.presence;

import io.roomcast.room.RoomName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PresenceTableTest {
    private static final RoomName ROOM = RoomName.of("chat:lobby");
    private final PresenceTable table = new PresenceTable(3);

    private static Member member(String client, long since) {
        return new Member(client, "u-" + client, "name " + client, since, true);
    }

    @Test
    void shouldReportAJoinOnceAndTreatRewritesAsRenewals() {
        PresenceTable.Change join = table.apply(0, ROOM, "a", member("a", 10), 1_000, 1_000, 3_000);
        assertThat(join).isEqualTo(new PresenceTable.Change(ROOM, member("a", 10), true, 1));
        assertThat(table.apply(0, ROOM, "a", member("a", 10), 2_000, 2_000, 3_000)).isNull();
        assertThat(table.members(ROOM)).containsExactly(member("a", 10));
    }

    @Test
    void shouldReportALeaveOnATombstoneAndIgnoreTombstonesOfStrangers() {
        table.apply(0, ROOM, "a", member("a", 10), 1_000, 1_000, 3_000);
        assertThat(table.apply(0, ROOM, "b", null, 1_500, 1_500, 0)).isNull();
        PresenceTable.Change leave = table.apply(0, ROOM, "a", null, 1_500, 1_500, 0);
        assertThat(leave.joined()).isFalse();
        assertThat(leave.count()).isZero();
        assertThat(table.members(ROOM)).isEmpty();
        assertThat(table.size()).isZero();
    }

    @Test
    void shouldExpireALeaseThatWasNotRenewedWithinItsTtl() {
        table.apply(0, ROOM, "a", member("a", 10), 1_000, 1_000, 3_000);
        table.apply(0, ROOM, "b", member("b", 20), 1_000, 1_000, 3_000);
        table.apply(0, ROOM, "a", member("a", 10), 2_500, 2_500, 3_000);
        assertThat(table.expire(3_999)).isEmpty();
        assertThat(table.expire(4_000)).extracting(c -> c.member().client(), PresenceTable.Change::joined)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("b", false));
        assertThat(table.expire(5_500)).extracting(c -> c.member().client()).containsExactly("a");
    }

    @Test
    void shouldCountFromTheEarlierOfWriteAndReadTimeSoASkewedWriterCannotExtendALease() {
        // the writer's clock runs 10 s ahead: the lease still expires TTL after it was read
        table.apply(0, ROOM, "a", member("a", 10), 11_000, 1_000, 3_000);
        assertThat(table.expire(4_000)).hasSize(1);
    }

    @Test
    void shouldIgnoreALeaseThatExpiredBeforeItWasRead() {
        // catching up from the beginning of the topic: the lease of an edge that died long ago
        assertThat(table.apply(0, ROOM, "a", member("a", 10), 1_000, 60_000, 3_000)).isNull();
        assertThat(table.members(ROOM)).isEmpty();
    }

    @Test
    void shouldRefuseNewLeasesBeyondTheLimitButKeepRenewing() {
        table.apply(0, ROOM, "a", member("a", 1), 1_000, 1_000, 3_000);
        table.apply(0, ROOM, "b", member("b", 2), 1_000, 1_000, 3_000);
        table.apply(0, ROOM, "c", member("c", 3), 1_000, 1_000, 3_000);
        assertThat(table.apply(0, ROOM, "d", member("d", 4), 1_000, 1_000, 3_000)).isNull();
        assertThat(table.refused()).isEqualTo(1);
        assertThat(table.apply(0, ROOM, "a", member("a", 1), 2_000, 2_000, 3_000)).isNull();
        assertThat(table.count(ROOM)).isEqualTo(3);
    }

    @Test
    void shouldForgetAReleasedPartitionSilently() {
        RoomName other = RoomName.of("chat:other");
        table.apply(0, ROOM, "a", member("a", 1), 1_000, 1_000, 3_000);
        table.apply(1, other, "b", member("b", 2), 1_000, 1_000, 3_000);
        table.release(0);
        assertThat(table.members(ROOM)).isEmpty();
        assertThat(table.members(other)).hasSize(1);
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.expire(10_000)).extracting(c -> c.room()).containsExactly(other);
    }

    @Test
    void shouldListMembersLongestPresentFirst() {
        table.apply(0, ROOM, "late", member("late", 30), 1_000, 1_000, 3_000);
        table.apply(0, ROOM, "early", member("early", 10), 1_000, 1_000, 3_000);
        assertThat(table.members(ROOM)).extracting(Member::client).containsExactly("early", "late");
    }
}
