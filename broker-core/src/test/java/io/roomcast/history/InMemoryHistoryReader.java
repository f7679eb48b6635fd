package io.roomcast.history;

import io.roomcast.event.RoomEvent;
import io.roomcast.room.RoomName;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/** A one-partition event log in memory: the reference behaviour of {@link HistoryReader}. */
final class InMemoryHistoryReader implements HistoryReader {
    private final List<RoomEvent> log = new ArrayList<>();

    synchronized long append(RoomName room, long timestamp, String eventId) {
        long offset = log.size();
        log.add(new RoomEvent(room, offset, null, timestamp, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), eventId));
        return offset;
    }

    @Override
    public synchronized CompletableFuture<OptionalLong> findEvent(TopicPartition partition, RoomName room, String eventId, long since) {
        return CompletableFuture.completedFuture(log.stream()
                .filter(e -> e.timestamp() >= since && e.room().equals(room) && eventId.equals(e.eventId()))
                .mapToLong(RoomEvent::offset).findFirst());
    }

    @Override
    public synchronized CompletableFuture<PartitionBounds> bounds(TopicPartition partition) {
        return CompletableFuture.completedFuture(new PartitionBounds(0, log.size()));
    }

    @Override
    public synchronized CompletableFuture<Long> offsetForTime(TopicPartition partition, long timestamp) {
        return CompletableFuture.completedFuture(log.stream().filter(e -> e.timestamp() >= timestamp)
                .mapToLong(RoomEvent::offset).findFirst().orElse(log.size()));
    }

    @Override
    public synchronized CompletableFuture<Long> startOfLast(TopicPartition partition, RoomName room, int count, long until) {
        List<RoomEvent> ofRoom = log.stream().filter(e -> e.room().equals(room) && e.offset() < until).toList();
        return CompletableFuture.completedFuture(ofRoom.size() <= count ? 0L : ofRoom.get(ofRoom.size() - count).offset());
    }

    @Override
    public synchronized CompletableFuture<HistoryChunk> read(TopicPartition partition, RoomName room, long from, long until, int maxEvents) {
        List<RoomEvent> out = new ArrayList<>();
        long stop = Math.min(until, log.size());
        long offset = from;
        for (; offset < stop; offset++) {
            RoomEvent e = log.get((int) offset);
            if (e.room().equals(room)) {
                if (out.size() == maxEvents) {
                    break;
                }
                out.add(e);
            }
        }
        return CompletableFuture.completedFuture(new HistoryChunk(out, offset >= stop ? until : offset));
    }

    @Override
    public void close() {
    }
}
