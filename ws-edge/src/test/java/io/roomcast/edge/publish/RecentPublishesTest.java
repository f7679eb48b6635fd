package io.roomcast.edge.publish;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roomcast.room.RoomName;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
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

    private RecentPublishes recent(int limit) {
        return new RecentPublishes(limit, Duration.ofSeconds(10), clock, meters);
    }

    @Test
    void shouldAnswerTheSameIdInTheSameRoomWithTheFirstAttempt() {
        RecentPublishes recent = recent(10);
        CompletableFuture<Long> first = new CompletableFuture<>();
        assertThat(recent.earlierOr(ROOM, "e1", first)).isNull();
        assertThat(recent.earlierOr(ROOM, "e1", new CompletableFuture<>())).isSameAs(first); // still under way
        first.complete(42L);
        assertThat(recent.earlierOr(ROOM, "e1", new CompletableFuture<>())).isCompletedWithValue(42L);
        assertThat(recent.earlierOr(OTHER, "e1", new CompletableFuture<>())).as("ids are per room").isNull();
        assertThat(recent.earlierOr(ROOM, "e2", new CompletableFuture<>())).isNull();
    }

    @Test
    void shouldForgetAFailedAttemptSoTheNextOneWrites() {
        RecentPublishes recent = recent(10);
        CompletableFuture<Long> failed = new CompletableFuture<>();
        recent.earlierOr(ROOM, "e1", failed);
        failed.completeExceptionally(new IllegalStateException("kafka down"));
        CompletableFuture<Long> next = new CompletableFuture<>();
        assertThat(recent.earlierOr(ROOM, "e1", next)).isNull();
        assertThat(recent.earlierOr(ROOM, "e1", new CompletableFuture<>())).isSameAs(next);
    }

    @Test
    void shouldForgetIdsAfterTheWindowAndTheOldestBeyondTheLimit() {
        RecentPublishes recent = recent(3);
        for (int i = 0; i < 5; i++) {
            recent.earlierOr(ROOM, "e" + i, CompletableFuture.completedFuture((long) i));
        }
        assertThat(recent.size()).isEqualTo(3);
        assertThat(meters.get("roomcast.publish.dedupe.evicted").counter().count()).isEqualTo(2);
        assertThat(meters.get("roomcast.publish.dedupe.entries").gauge().value()).isEqualTo(3);
        assertThat(recent.earlierOr(ROOM, "e0", new CompletableFuture<>())).as("evicted").isNull();
        assertThat(recent.earlierOr(ROOM, "e4", new CompletableFuture<>())).isCompletedWithValue(4L);

        now.addAndGet(Duration.ofSeconds(10).toMillis());
        assertThat(recent.earlierOr(ROOM, "e4", new CompletableFuture<>())).as("window over").isNull();
        assertThat(recent.size()).isEqualTo(1);
    }
}
