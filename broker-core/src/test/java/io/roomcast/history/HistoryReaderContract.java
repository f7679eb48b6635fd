package io.roomcast.history;

import io.roomcast.event.RoomEvent;
import io.roomcast.room.RoomName;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link HistoryReader} must do, run against the in-memory log (fast) and against a
 * real Kafka broker. The log holds two rooms interleaved in one partition, as rooms share
 * partitions in Kafka.
 */
abstract class HistoryReaderContract {
    static final RoomName ROOM = RoomName.of("chat:contract");
    static final RoomName OTHER = RoomName.of("chat:neighbour");
    static final long T0 = 1_700_000_000_000L;

    /** Appends one event to the partition under test and returns its offset. */
    abstract long append(RoomName room, long timestamp, String eventId);

    long append(RoomName room, long timestamp) {
        return append(room, timestamp, null);
    }

    abstract HistoryReader reader();

    abstract TopicPartition partition();

    final List<Long> roomOffsets = new ArrayList<>();
    long end;

    @BeforeEach
    void writeHistory() {
        for (int i = 0; i < 60; i++) {
            append(OTHER, T0 + i);
            if (i % 3 != 2) {
                roomOffsets.add(append(ROOM, T0 + i));
            }
            end = append(OTHER, T0 + i) + 1;
        }
    }

    private List<Long> offsets(List<RoomEvent> events) {
        return events.stream().map(RoomEvent::offset).toList();
    }

    @Test
    void shouldReadOnlyTheRoomsEventsInOffsetOrderInChunks() throws Exception {
        List<Long> read = new ArrayList<>();
        long from = 0;
        while (from < end) {
            HistoryChunk chunk = reader().read(partition(), ROOM, from, end, 7).get();
            assertThat(chunk.events()).hasSizeLessThanOrEqualTo(7).allMatch(e -> e.room().equals(ROOM));
            assertThat(chunk.next()).isGreaterThan(from);
            read.addAll(offsets(chunk.events()));
            from = chunk.next();
        }
        assertThat(read).containsExactlyElementsOf(roomOffsets);
    }

    @Test
    void shouldKeepTwoInterleavedReplaysOfOnePartitionExact() throws Exception {
        // Two subscriptions replaying the same partition, chunk by chunk, from different points and
        // with different bounds: a reader that keeps its position between chunks must not mix them up.
        List<Long> mine = new ArrayList<>();
        List<Long> theirs = new ArrayList<>();
        long until = roomOffsets.get(30);
        long a = 0;
        long b = roomOffsets.get(20);
        while (a < end || b < until) {
            if (a < end) {
                HistoryChunk chunk = reader().read(partition(), ROOM, a, end, 5).get();
                mine.addAll(offsets(chunk.events()));
                a = chunk.next();
            }
            if (b < until) {
                HistoryChunk chunk = reader().read(partition(), ROOM, b, until, 3).get();
                theirs.addAll(offsets(chunk.events()));
                b = chunk.next();
            }
        }
        assertThat(mine).containsExactlyElementsOf(roomOffsets);
        assertThat(theirs).containsExactlyElementsOf(roomOffsets.subList(20, 30));
        // the same range again, after the reader has moved on
        assertThat(offsets(reader().read(partition(), ROOM, 0, roomOffsets.get(3), 100).get().events()))
                .containsExactlyElementsOf(roomOffsets.subList(0, 3));
    }

    @Test
    void shouldFindAnEventByItsIdInTheRoomWithinTheWindowOnly() throws Exception {
        long mine = append(ROOM, T0 + 100, "evt-1");
        append(OTHER, T0 + 101, "evt-2");
        append(ROOM, T0 + 102, null);
        assertThat(reader().findEvent(partition(), ROOM, "evt-1", T0).get()).hasValue(mine);
        assertThat(reader().findEvent(partition(), ROOM, "evt-1", T0 + 100).get()).hasValue(mine);
        assertThat(reader().findEvent(partition(), ROOM, "evt-1", T0 + 101).get()).isEmpty(); // older than the window
        assertThat(reader().findEvent(partition(), ROOM, "evt-2", T0).get()).isEmpty();       // another room's id
        assertThat(reader().findEvent(partition(), OTHER, "evt-2", T0).get()).isPresent();
        assertThat(reader().findEvent(partition(), ROOM, "never", T0).get()).isEmpty();
        assertThat(reader().findEvent(partition(), ROOM, "evt-1", T0 + 1_000_000).get()).isEmpty(); // after every record
    }

    @Test
    void shouldStopAtTheUpperBoundExclusive() throws Exception {
        long until = roomOffsets.get(10);
        HistoryChunk chunk = reader().read(partition(), ROOM, 0, until, 1000).get();
        assertThat(offsets(chunk.events())).containsExactlyElementsOf(roomOffsets.subList(0, 10));
        assertThat(chunk.next()).isEqualTo(until);
    }

    @Test
    void shouldTellTheBoundsOfThePartition() throws Exception {
        PartitionBounds bounds = reader().bounds(partition()).get();
        assertThat(bounds.logStart()).isZero();
        assertThat(bounds.end()).isEqualTo(end);
    }

    @Test
    void shouldFindTheStartOfTheLastNEvents() throws Exception {
        assertThat(reader().startOfLast(partition(), ROOM, 5, end).get()).isEqualTo(roomOffsets.get(roomOffsets.size() - 5));
        assertThat(reader().startOfLast(partition(), ROOM, 1, roomOffsets.get(3)).get()).isEqualTo(roomOffsets.get(2));
        assertThat(reader().startOfLast(partition(), ROOM, 10_000, end).get()).isZero();
    }

    @Test
    void shouldFindTheFirstOffsetAtOrAfterATime() throws Exception {
        long offset = reader().offsetForTime(partition(), T0 + 30).get();
        HistoryChunk chunk = reader().read(partition(), ROOM, offset, end, 1000).get();
        assertThat(chunk.events()).isNotEmpty().allMatch(e -> e.timestamp() >= T0 + 30);
        assertThat(reader().offsetForTime(partition(), T0 + 10_000).get()).isEqualTo(end);
    }
}
