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
    abstract long append(RoomName room, long timestamp);

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
