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
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class SharedReadsTest {
    private static final RoomName ROOM = RoomName.of("chat:x");
    private static final TopicPartition TP = new TopicPartition("t-chat", 0);
    private static final Namespace CHAT = new Namespace("chat", "t-chat", 1, Duration.ofDays(1), 100);
    private static final RoomLocation LOCATION = new RoomLocation(ROOM, CHAT, TP, new Epoch("e1"));

    private final FakeLog log = new FakeLog();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void shouldReadOnceForSubscriptionsAskingTheSameChunkWhileItIsInFlight() {
        SharedReads reads = new SharedReads(log, 1 << 20, meters);
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
        SharedReads reads = new SharedReads(log, 1 << 20, meters);
        reads.read(LOCATION, 10, 100, 5);
        log.answer(0, chunk(20, 10, 12, 14, 16, 18));

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
        assertThat(log.asked).hasSize(1);
    }

    @Test
    void shouldNeverShareAcrossEpochsRoomsOrOffsets() {
        SharedReads reads = new SharedReads(log, 1 << 20, meters);
        reads.read(LOCATION, 10, 100, 3);
        reads.read(new RoomLocation(ROOM, CHAT, TP, new Epoch("e2")), 10, 100, 3); // the topic was recreated
        reads.read(new RoomLocation(RoomName.of("chat:y"), CHAT, TP, new Epoch("e1")), 10, 100, 3);
        reads.read(LOCATION, 11, 100, 3);
        assertThat(log.asked).hasSize(4);
    }

    @Test
    void shouldFailEveryWaiterOfAFailedReadAndAskAgainNextTime() {
        SharedReads reads = new SharedReads(log, 1 << 20, meters);
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
        SharedReads reads = new SharedReads(log, 2 * oneChunk, meters);
        for (int i = 0; i < 3; i++) {
            reads.read(LOCATION, 100L * i, 1000, 3);
            log.answer(i, chunk(100L * i + 3, 100L * i, 100L * i + 1, 100L * i + 2));
        }
        assertThat(reads.bytes()).isEqualTo(2 * oneChunk);
        reads.read(LOCATION, 100, 1000, 3).join();
        reads.read(LOCATION, 200, 1000, 3).join();
        assertThat(log.asked).as("the two newest kept").hasSize(3);
        reads.read(LOCATION, 0, 1000, 3);
        assertThat(log.asked).as("the oldest left").hasSize(4);

        SharedReads none = new SharedReads(log, 0, new SimpleMeterRegistry());
        none.read(LOCATION, 500, 1000, 3);
        log.answer(4, chunk(503, 500, 501, 502));
        assertThat(none.bytes()).as("a limit of 0 only joins reads in flight").isZero();
        none.read(LOCATION, 500, 1000, 3);
        assertThat(log.asked).hasSize(6);
    }

    @Test
    void shouldJoinABoundsLookupInFlightButNotKeepItsAnswer() {
        SharedReads reads = new SharedReads(log, 1 << 20, meters);
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
