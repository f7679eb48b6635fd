package io.roomcast.history;

import io.roomcast.room.RoomName;
import org.apache.kafka.common.TopicPartition;

class InMemoryHistoryReaderTest extends HistoryReaderContract {
    private final InMemoryHistoryReader log = new InMemoryHistoryReader();

    @Override
    long append(RoomName room, long timestamp, String eventId) {
        return log.append(room, timestamp, eventId);
    }

    @Override
    HistoryReader reader() {
        return log;
    }

    @Override
    TopicPartition partition() {
        return new TopicPartition("memory", 0);
    }
}
