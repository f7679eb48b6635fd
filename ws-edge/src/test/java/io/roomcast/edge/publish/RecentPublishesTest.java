package io.roomcast.edge.publish;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roomcast.room.RoomName;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RecentPublishesTest {
    private static final RoomName ROOM = RoomName.of("chat:a");
    private static final RoomName OTHER = RoomName.of("chat:b");
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };

    private static final PublisherScope ALICE = PublisherScope.of(null, "alice-key-0123456789", "edge", "c1");
    private static final PublisherScope BOB = PublisherScope.of(null, null, "edge", "c2");

    private RecentPublishes recent(int limit) {
        return new RecentPublishes(limit, Duration.ofSeconds(10), clock, meters);
    }

    private static RecentPublishes.Key key(RoomName room, String id) {
        return new RecentPublishes.Key(ALICE, room, id);
    }

    private RecentPublishes.Attempt attempt() {
        return RecentPublishes.Attempt.startingAt(now.get());
    }

    @Test
    void shouldAnswerTheSameIdOfTheSamePublisherInTheSameRoomWithTheFirstAttempt() {
        RecentPublishes recent = recent(10);
        RecentPublishes.Attempt first = attempt();
        assertThat(recent.earlierOr(key(ROOM, "e1"), first)).isNull();
        assertThat(recent.earlierOr(key(ROOM, "e1"), attempt())).isSameAs(first); // still under way
        first.settled().complete(42L);
        assertThat(recent.earlierOr(key(ROOM, "e1"), attempt()).settled()).isCompletedWithValue(42L);
        assertThat(recent.earlierOr(key(OTHER, "e1"), attempt())).as("ids are per room").isNull();
        assertThat(recent.earlierOr(key(ROOM, "e2"), attempt())).isNull();
        assertThat(recent.earlierOr(new RecentPublishes.Key(BOB, ROOM, "e1"), attempt())).as("ids are per publisher").isNull();
    }

    @Test
    void shouldForgetAnAttemptItsOwnerForgetsSoTheNextOneWrites() {
        RecentPublishes recent = recent(10);
        RecentPublishes.Attempt failed = attempt();
        recent.earlierOr(key(ROOM, "e1"), failed);
        recent.forget(key(ROOM, "e1"), failed);
        RecentPublishes.Attempt next = attempt();
        assertThat(recent.earlierOr(key(ROOM, "e1"), next)).isNull();
        recent.forget(key(ROOM, "e1"), failed); // no longer the entry: nothing happens
        assertThat(recent.earlierOr(key(ROOM, "e1"), attempt())).isSameAs(next);
    }

    @Test
    void shouldForgetIdsAfterTheWindowAndTheOldestBeyondTheLimit() {
        RecentPublishes recent = recent(3);
        for (int i = 0; i < 5; i++) {
            RecentPublishes.Attempt a = attempt();
            a.settled().complete((long) i);
            recent.earlierOr(key(ROOM, "e" + i), a);
        }
        assertThat(recent.size()).isEqualTo(3);
        assertThat(meters.get("roomcast.publish.dedupe.evicted").counter().count()).isEqualTo(2);
        assertThat(meters.get("roomcast.publish.dedupe.entries").gauge().value()).isEqualTo(3);
        assertThat(recent.earlierOr(key(ROOM, "e0"), attempt())).as("evicted").isNull();
        assertThat(recent.earlierOr(key(ROOM, "e4"), attempt()).settled()).isCompletedWithValue(4L);

        now.addAndGet(Duration.ofSeconds(10).toMillis());
        assertThat(recent.earlierOr(key(ROOM, "e4"), attempt())).as("window over").isNull();
        assertThat(recent.size()).isEqualTo(1);
    }
}
