package io.roomcast.history;

import io.roomcast.room.RoomName;
import org.apache.kafka.common.TopicPartition;

import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a room's history from the event log, separately from live dispatch.
 *
 * <p>Threading: every method may be called from any thread and returns at once; the futures
 * complete on the reader's own threads. Failures (Kafka unreachable, too much queued work)
 * complete the futures exceptionally.
 */
public interface HistoryReader extends AutoCloseable {

    CompletableFuture<PartitionBounds> bounds(TopicPartition partition);

    /** The first offset whose record timestamp is at or after {@code timestamp}, or the end offset. */
    CompletableFuture<Long> offsetForTime(TopicPartition partition, long timestamp);

    /**
     * The offset of the first of the last {@code count} events of {@code room} below {@code until},
     * or the log start when the room has fewer retained events.
     */
    CompletableFuture<Long> startOfLast(TopicPartition partition, RoomName room, int count, long until);

    /**
     * The offset of the event of {@code room} carrying {@code eventId} among the partition's records
     * with timestamps at or after {@code since}, or empty when there is none (a publish retried with
     * the same id is then written; otherwise it was written before and is acknowledged again).
     */
    CompletableFuture<OptionalLong> findEvent(TopicPartition partition, RoomName room, String eventId, long since);

    /** Up to {@code maxEvents} events of {@code room} with offsets in {@code [from, until)}. */
    CompletableFuture<HistoryChunk> read(TopicPartition partition, RoomName room, long from, long until, int maxEvents);

    @Override
    void close();
}
