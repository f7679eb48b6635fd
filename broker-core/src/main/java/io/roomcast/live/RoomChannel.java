package io.roomcast.live;

import io.roomcast.event.RoomEvent;
import io.roomcast.history.RoomHistory;
import io.roomcast.room.RoomName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;

/**
 * One room inside a partition tail: its live listeners and its history cache.
 * Guarded by the owning {@link PartitionTail}'s lock.
 */
final class RoomChannel {
    private static final Logger log = LoggerFactory.getLogger(RoomChannel.class);
    private static final LiveListener[] NONE = new LiveListener[0];

    final RoomName room;
    final RoomHistory history;
    private LiveListener[] listeners = NONE;

    RoomChannel(RoomName room, RoomHistory history) {
        this.room = room;
        this.history = history;
    }

    void add(LiveListener listener) {
        LiveListener[] next = Arrays.copyOf(listeners, listeners.length + 1);
        next[listeners.length] = listener;
        listeners = next;
    }

    boolean remove(LiveListener listener) {
        for (int i = 0; i < listeners.length; i++) {
            if (listeners[i] == listener) {
                LiveListener[] next = new LiveListener[listeners.length - 1];
                System.arraycopy(listeners, 0, next, 0, i);
                System.arraycopy(listeners, i + 1, next, i, listeners.length - i - 1);
                listeners = next;
                return true;
            }
        }
        return false;
    }

    boolean contains(LiveListener listener) {
        for (LiveListener l : listeners) {
            if (l == listener) {
                return true;
            }
        }
        return false;
    }

    LiveListener[] listeners() {
        return listeners;
    }

    boolean idle() {
        return listeners.length == 0;
    }

    int listenerCount() {
        return listeners.length;
    }

    /** Appends the event to the cache and hands it to every listener; returns the change in cached bytes. */
    long dispatch(RoomEvent event) {
        long grown = history.append(event);
        boolean prune = false;
        for (LiveListener l : listeners) {
            if (l.ended()) {
                prune = true;
                continue;
            }
            try {
                l.onLive(event);
            } catch (RuntimeException e) {
                // One broken listener must not stop live delivery for every other subscriber.
                log.atError().addKeyValue("room", room).addKeyValue("offset", event.offset()).setCause(e).log("live listener failed");
            }
        }
        if (prune) {
            listeners = Arrays.stream(listeners).filter(l -> !l.ended()).toArray(LiveListener[]::new);
        }
        return grown;
    }
}
