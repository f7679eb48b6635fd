package io.roomcast.live;

import io.roomcast.event.RecordLayout;
import io.roomcast.event.RoomEvent;
import io.roomcast.history.CacheBudget;
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
    private final CacheBudget budget;
    private final Map<String, RoomChannel> active = new HashMap<>();
    private final LinkedHashMap<String, RoomChannel> idle;
    /** Written under the lock by the live tail's thread only; volatile so that {@link #next()} needs no lock. */
    private volatile long next;

    PartitionTail(TopicPartition partition, long next, int idleRoomLimit, CacheBudget budget) {
        this.partition = partition;
        this.next = next;
        this.idleRoomLimit = idleRoomLimit;
        this.budget = budget;
        this.idle = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, RoomChannel> eldest) {
                if (size() > PartitionTail.this.idleRoomLimit) {
                    budget.add(-eldest.getValue().history.bytes());
                    return true;
                }
                return false;
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
                budget.add(channel.dispatch(event));
                if (channel.idle() && active.remove(name) != null) {
                    idle.put(name, channel); // its last listeners had ended: see LiveListener.ended()
                }
            }
        }
    }

    /**
     * Frees cached bytes while the edge's budget is exceeded: idle rooms first (least recently
     * used first), then the oldest events of this partition's active rooms, one per room per round.
     */
    synchronized void trim() {
        var eldest = idle.entrySet().iterator();
        while (budget.over() && eldest.hasNext()) {
            budget.add(-eldest.next().getValue().history.bytes());
            eldest.remove();
        }
        boolean freed = true;
        while (budget.over() && freed) {
            freed = false;
            for (RoomChannel channel : active.values()) {
                long bytes = channel.history.evictOldest();
                budget.add(-bytes);
                freed |= bytes > 0;
            }
        }
    }

    /** Forgets every room of the partition and returns their listeners: the tail's position is lost. */
    synchronized List<LiveListener> lose() {
        List<LiveListener> all = new ArrayList<>();
        for (RoomChannel channel : active.values()) {
            all.addAll(Arrays.asList(channel.listeners()));
            budget.add(-channel.history.bytes());
        }
        idle.values().forEach(channel -> budget.add(-channel.history.bytes()));
        active.clear();
        idle.clear();
        return all;
    }

    /**
     * The next offset to dispatch, without the lock: status and lag samples (the heartbeat sweep reads it
     * for every subscription every second) must not queue behind a dispatch to thousands of listeners, nor
     * hold up the next one. While a batch is being dispatched it may already count the record in hand. Any thread.
     */
    long next() {
        return next;
    }

    synchronized int listeners() {
        int n = 0;
        for (RoomChannel c : active.values()) {
            n += c.listenerCount();
        }
        return n;
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
