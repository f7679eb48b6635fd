package io.roomcast.edge.subscription;

import io.roomcast.history.HistoryReader;
import io.roomcast.room.RoomName;
import org.apache.kafka.common.TopicPartition;

import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * The base of this package's fake logs, which answer chunk reads and bounds only: the lookups of the
 * other start forms ({@code last N}, {@code time}) and the publish dedupe are not asked by the code under
 * test, and fail the test if they are.
 */
abstract class ChunkLog implements HistoryReader {
    @Override
    public CompletableFuture<Long> offsetForTime(TopicPartition partition, long timestamp) {
        throw new AssertionError("a chunk log answers no time lookup");
    }

    @Override
    public CompletableFuture<Long> startOfLast(TopicPartition partition, RoomName room, int count, long until) {
        throw new AssertionError("a chunk log answers no last-N lookup");
    }

    @Override
    public CompletableFuture<OptionalLong> findEvent(TopicPartition partition, RoomName room, String eventId, long since) {
        throw new AssertionError("a chunk log answers no event lookup");
    }

    @Override
    public void close() {
    }
}
