package io.roomcast.edge.subscription;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roomcast.event.RoomEvent;
import io.roomcast.history.HistoryChunk;
import io.roomcast.history.PartitionBounds;
import io.roomcast.position.Epoch;
import io.roomcast.room.Namespace;
import io.roomcast.room.RoomName;
import io.roomcast.topic.RoomLocation;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class SharedReadsTest {
    private static final RoomName ROOM = RoomName.of("chat:x");
    private static final TopicPartition TP = new TopicPartition("t-chat", 0);
    private static final Namespace CHAT = new Namespace("chat", "t-chat", 1, Duration.ofDays(1), 100);
    private static final RoomLocation LOCATION = new RoomLocation(ROOM, CHAT, TP, new Epoch("e1"));

    private final FakeLog log = new FakeLog();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicLong clock = new AtomicLong();

    private SharedReads reads(long maxBytes) {
        return new SharedReads(log, maxBytes, meters, clock::get);
    }

    /** Two readers ask for the same chunk at once, as in a reconnect storm: the room is crowded from then on. */
    private void crowd(SharedReads reads, long from) {
        int asked = log.asked.size();
        reads.read(LOCATION, from, 1000, 3);
        reads.read(LOCATION, from, 1000, 3);
        log.answer(asked, chunk(from + 1, from));
    }

    @Test
    void shouldReadOnceForSubscriptionsAskingTheSameChunkWhileItIsInFlight() {
        SharedReads reads = reads(1 << 20);
        CompletableFuture<HistoryChunk> first = reads.read(LOCATION, 10, 100, 3);
        CompletableFuture<HistoryChunk> second = reads.read(LOCATION, 10, 100, 3);
        assertThat(log.asked).hasSize(1);
        assertThat(second).isNotDone();

        log.answer(0, chunk(13, 10, 11, 12));
        assertThat(offsets(first.join())).containsExactly(10L, 11L, 12L);
        assertThat(offsets(second.join())).containsExactly(10L, 11L, 12L);
        assertThat(second.join().events().get(0)).as("the same event object, so its frame is encoded once")
                .isSameAs(first.join().events().get(0));
        assertThat(offsets(reads.read(LOCATION, 10, 100, 3).join())).as("kept for later readers").containsExactly(10L, 11L, 12L);
        assertThat(log.asked).hasSize(1);
        assertThat(meters.counter("roomcast.replay.shared.hits").count()).isEqualTo(2);
        assertThat(meters.counter("roomcast.replay.shared.misses").count()).isEqualTo(1);
    }

    @Test
    void shouldCutAKeptChunkToWhatTheAskerWants() {
        SharedReads reads = reads(1 << 20);
        crowd(reads, 0);
        reads.read(LOCATION, 10, 100, 5);
        log.answer(1, chunk(20, 10, 12, 14, 16, 18));

        HistoryChunk fewer = reads.read(LOCATION, 10, 100, 2).join();
        assertThat(offsets(fewer)).containsExactly(10L, 12L);
        assertThat(fewer.next()).as("goes on at the first event left out").isEqualTo(14);
        HistoryChunk below = reads.read(LOCATION, 10, 15, 100).join();
        assertThat(offsets(below)).containsExactly(10L, 12L, 14L);
        assertThat(below.next()).as("its range ends at its until").isEqualTo(15);
        HistoryChunk beyond = reads.read(LOCATION, 10, 1000, 100).join();
        assertThat(offsets(beyond)).as("shorter than asked: the asker continues from next").containsExactly(10L, 12L, 14L, 16L, 18L);
        assertThat(beyond.next()).isEqualTo(20);
        HistoryChunk exact = reads.read(LOCATION, 10, 19, 100).join();
        assertThat(offsets(exact)).containsExactly(10L, 12L, 14L, 16L, 18L);
        assertThat(exact.next()).isEqualTo(19);
        assertThat(log.asked).hasSize(2);
    }

    @Test
    void shouldNeverShareAcrossEpochsRoomsOrOffsets() {
        SharedReads reads = reads(1 << 20);
        reads.read(LOCATION, 10, 100, 3);
        reads.read(new RoomLocation(ROOM, CHAT, TP, new Epoch("e2")), 10, 100, 3); // the topic was recreated
        reads.read(new RoomLocation(RoomName.of("chat:y"), CHAT, TP, new Epoch("e1")), 10, 100, 3);
        reads.read(LOCATION, 11, 100, 3);
        assertThat(log.asked).hasSize(4);
    }

    @Test
    void shouldFailEveryWaiterOfAFailedReadAndAskAgainNextTime() {
        SharedReads reads = reads(1 << 20);
        CompletableFuture<HistoryChunk> first = reads.read(LOCATION, 10, 100, 3);
        CompletableFuture<HistoryChunk> second = reads.read(LOCATION, 10, 100, 3);
        log.asked.get(0).completeExceptionally(new IOException("unreachable"));
        assertThat(first).isCompletedExceptionally();
        assertThat(second).isCompletedExceptionally();

        CompletableFuture<HistoryChunk> again = reads.read(LOCATION, 10, 100, 3);
        assertThat(log.asked).hasSize(2);
        log.answer(1, chunk(11, 10));
        assertThat(offsets(again.join())).containsExactly(10L);
    }

    @Test
    void shouldKeepAtMostItsBytesLeastRecentlyUsedLeavingFirst() {
        long oneChunk = 3 * (2 + SharedReads.EVENT_OVERHEAD);
        SharedReads reads = reads(2 * oneChunk);
        crowd(reads, 1000);
        for (int i = 0; i < 3; i++) {
            reads.read(LOCATION, 100L * i, 1000, 3);
            log.answer(i + 1, chunk(100L * i + 3, 100L * i, 100L * i + 1, 100L * i + 2));
        }
        assertThat(reads.bytes()).isEqualTo(2 * oneChunk);
        reads.read(LOCATION, 100, 1000, 3).join();
        reads.read(LOCATION, 200, 1000, 3).join();
        assertThat(log.asked).as("the two newest kept").hasSize(4);
        reads.read(LOCATION, 0, 1000, 3);
        assertThat(log.asked).as("the oldest left").hasSize(5);

        SharedReads none = new SharedReads(log, 0, new SimpleMeterRegistry(), clock::get);
        crowd(none, 1000);
        none.read(LOCATION, 500, 1000, 3);
        log.answer(6, chunk(503, 500, 501, 502));
        assertThat(none.bytes()).as("a limit of 0 only joins reads in flight").isZero();
        none.read(LOCATION, 500, 1000, 3);
        assertThat(log.asked).hasSize(8);
    }

    @Test
    void shouldKeepNothingForAReaderAloneAndKeepWhileTheRoomIsCrowded() {
        SharedReads reads = reads(1 << 20);
        reads.read(LOCATION, 0, 1000, 3);
        log.answer(0, chunk(3, 0, 1, 2));
        assertThat(reads.bytes()).as("a replay alone keeps nothing").isZero();
        assertThat(reads.crowded(LOCATION)).isFalse();
        reads.read(LOCATION, 0, 1000, 3);
        assertThat(log.asked).as("read again").hasSize(2);

        reads.read(LOCATION, 0, 1000, 3); // a second reader joins the read in flight
        assertThat(reads.crowded(LOCATION)).isTrue();
        assertThat(reads.crowded(new RoomLocation(RoomName.of("chat:y"), CHAT, TP, new Epoch("e1")))).isFalse();
        assertThat(reads.crowded(new RoomLocation(ROOM, CHAT, TP, new Epoch("e2")))).as("a recreated topic is another log").isFalse();
        log.answer(1, chunk(3, 0, 1, 2));
        reads.read(LOCATION, 3, 1000, 3);
        log.answer(2, chunk(6, 3, 4, 5));
        assertThat(reads.bytes()).as("both chunks kept: the room is crowded").isEqualTo(6 * (2 + SharedReads.EVENT_OVERHEAD));

        clock.addAndGet(SharedReads.CROWD_WINDOW.toNanos());
        assertThat(reads.crowded(LOCATION)).isFalse();
        reads.read(LOCATION, 6, 1000, 3);
        log.answer(3, chunk(9, 6, 7, 8));
        assertThat(reads.bytes()).as("no longer crowded: the new chunk is not kept").isEqualTo(6 * (2 + SharedReads.EVENT_OVERHEAD));
        assertThat(offsets(reads.read(LOCATION, 3, 1000, 3).join())).as("a kept chunk is still served").containsExactly(3L, 4L, 5L);
        assertThat(reads.crowded(LOCATION)).as("and serving it is sharing again").isTrue();
    }

    @Test
    void shouldRememberAtMostItsLimitOfCrowdedRooms() {
        SharedReads reads = reads(0);
        for (int i = 0; i <= SharedReads.MAX_CROWDS; i++) {
            RoomLocation room = new RoomLocation(RoomName.of("chat:r" + i), CHAT, TP, new Epoch("e1"));
            reads.read(room, 0, 1000, 3);
            reads.read(room, 0, 1000, 3);
        }
        assertThat(meters.get("roomcast.replay.shared.crowds").gauge().value()).isEqualTo(SharedReads.MAX_CROWDS);
        assertThat(reads.crowded(new RoomLocation(RoomName.of("chat:r0"), CHAT, TP, new Epoch("e1")))).as("the eldest left").isFalse();
        assertThat(reads.crowded(new RoomLocation(RoomName.of("chat:r1"), CHAT, TP, new Epoch("e1")))).isTrue();
    }

    @Test
    void shouldJoinABoundsLookupInFlightButNotKeepItsAnswer() {
        SharedReads reads = reads(1 << 20);
        CompletableFuture<PartitionBounds> first = reads.bounds(TP);
        CompletableFuture<PartitionBounds> second = reads.bounds(TP);
        reads.bounds(new TopicPartition("t-chat", 1));
        assertThat(log.boundsAsked).hasSize(2);
        log.boundsAsked.get(0).complete(new PartitionBounds(5, 50));
        assertThat(first.join()).isEqualTo(new PartitionBounds(5, 50));
        assertThat(second.join()).isEqualTo(new PartitionBounds(5, 50));

        reads.bounds(TP);
        assertThat(log.boundsAsked).as("asked again once answered: the log start moves with retention").hasSize(3);
        log.boundsAsked.get(2).completeExceptionally(new IOException("unreachable"));
        reads.bounds(TP);
        assertThat(log.boundsAsked).as("nor is a failure kept").hasSize(4);
        assertThat(meters.counter("roomcast.replay.shared.bounds").count()).isEqualTo(1);
    }

    private static HistoryChunk chunk(long next, long... offsets) {
        return new HistoryChunk(LongStream.of(offsets).mapToObj(SharedReadsTest::ev).toList(), next);
    }

    private static RoomEvent ev(long offset) {
        return new RoomEvent(ROOM, offset, null, offset, "{}".getBytes(StandardCharsets.UTF_8), null);
    }

    private static List<Long> offsets(HistoryChunk chunk) {
        return chunk.events().stream().map(RoomEvent::offset).toList();
    }

    /** Reads and bounds lookups wait until the test answers them; nothing else is asked by {@link SharedReads}. */
    private static final class FakeLog extends ChunkLog {
        final List<CompletableFuture<HistoryChunk>> asked = new ArrayList<>();
        final List<CompletableFuture<PartitionBounds>> boundsAsked = new ArrayList<>();

        void answer(int read, HistoryChunk chunk) {
            asked.get(read).complete(chunk);
        }

        @Override
        public CompletableFuture<HistoryChunk> read(TopicPartition partition, RoomName room, long from, long until, int maxEvents) {
            CompletableFuture<HistoryChunk> f = new CompletableFuture<>();
            asked.add(f);
            return f;
        }

        @Override
        public CompletableFuture<PartitionBounds> bounds(TopicPartition partition) {
            CompletableFuture<PartitionBounds> f = new CompletableFuture<>();
            boundsAsked.add(f);
            return f;
        }
    }
}
