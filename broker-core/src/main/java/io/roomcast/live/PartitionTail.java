package io.roomcast.live;

import io.roomcast.event.RecordLayout;
import io.roomcast.event.RoomEvent;
import io.roomcast.history.RoomHistory;
import io.roomcast.room.RoomName;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live state of one tailed partition: the next offset to dispatch and the rooms watched in it.
 * Dispatch and registration take the same lock, which is what makes a hand-over exact: the offset
 * a listener is registered at is precisely the first offset it will be dispatched.
 */
final class PartitionTail {
    private final TopicPartition partition;
    private final int idleRoomLimit;
    private final Map<String, RoomChannel> active = new HashMap<>();
    private final LinkedHashMap<String, RoomChannel> idle;
    private long next;

    PartitionTail(TopicPartition partition, long next, int idleRoomLimit) {
        this.partition = partition;
        this.next = next;
        this.idleRoomLimit = idleRoomLimit;
        this.idle = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, RoomChannel> eldest) {
                return size() > PartitionTail.this.idleRoomLimit;
            }
        };
    }

    synchronized Handover register(RoomName room, int historySize, LiveListener listener, HandoverHook hook) {
        RoomChannel channel = active.get(room.value());
        if (channel == null) {
            channel = idle.remove(room.value());
            if (channel == null) {
                channel = new RoomChannel(room, new RoomHistory(historySize, next));
            }
            active.put(room.value(), channel);
        }
        channel.add(listener);
        hook.atHandover(next);
        return new Handover(next, channel.history.all(), channel.history.coversFrom());
    }

    synchronized Handover recapture(RoomName room, LiveListener listener, HandoverHook hook) {
        RoomChannel channel = active.get(room.value());
        if (channel == null || !channel.contains(listener)) {
            throw new IllegalStateException("listener is not registered for " + room);
        }
        hook.atHandover(next);
        return new Handover(next, channel.history.all(), channel.history.coversFrom());
    }

    synchronized void unregister(RoomName room, LiveListener listener) {
        RoomChannel channel = active.get(room.value());
        if (channel != null && channel.remove(listener) && channel.idle()) {
            active.remove(room.value());
            idle.put(room.value(), channel);
        }
    }

    /** Dispatches a polled batch of this partition, in offset order. */
    synchronized void dispatch(List<ConsumerRecord<byte[], byte[]>> records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (record.offset() < next) {
                continue;
            }
            next = record.offset() + 1;
            byte[] key = record.key();
            if (key == null) {
                continue;
            }
            String name = new String(key, StandardCharsets.UTF_8);
            RoomChannel channel = active.get(name);
            if (channel == null) {
                channel = idle.get(name);
            }
            if (channel != null) {
                RoomEvent event = RecordLayout.toEvent(channel.room, record);
                channel.dispatch(event);
            }
        }
    }

    /** Forgets every room of the partition and returns their listeners: the tail's position is lost. */
    synchronized List<LiveListener> lose() {
        List<LiveListener> all = new ArrayList<>();
        for (RoomChannel channel : active.values()) {
            all.addAll(Arrays.asList(channel.listeners()));
        }
        active.clear();
        idle.clear();
        return all;
    }

    synchronized long next() {
        return next;
    }

    synchronized int activeRooms() {
        return active.size();
    }

    synchronized int cachedRooms() {
        return active.size() + idle.size();
    }

    synchronized long cachedEvents() {
        long n = 0;
        for (RoomChannel c : active.values()) {
            n += c.history.size();
        }
        for (RoomChannel c : idle.values()) {
            n += c.history.size();
        }
        return n;
    }

    TopicPartition partition() {
        return partition;
    }
}
