package io.roomcast.launcher;

import io.roomcast.client.From;
import io.roomcast.client.RoomEvent;
import io.roomcast.client.RoomcastClient;
import io.roomcast.client.Subscribed;
import io.roomcast.client.SubscriptionListener;

import java.util.ArrayList;
import java.util.List;

/**
 * What one subscriber of one room has seen, across its own reconnects and across explicit resumes
 * on new connections ({@link #resumeOn}): events in arrival order, gaps, and the epoch to resume in.
 * A resume cuts the old listener off first, so an event still in flight on the old connection is
 * not recorded and comes again, exactly once, on the new one.
 */
final class RoomReader {
    final String room;
    private final List<Long> offsets = new ArrayList<>();
    private int gaps;
    private String epoch;
    private Listener current;

    RoomReader(String room) {
        this.room = room;
    }

    synchronized void subscribeOn(RoomcastClient client) {
        From from = offsets.isEmpty() || epoch == null ? From.earliest() : From.after(offsets.get(offsets.size() - 1), epoch);
        current = new Listener();
        client.subscribe(room, from, current);
    }

    /** Stops recording from the current connection and subscribes on {@code client} after the last recorded event. */
    synchronized void resumeOn(RoomcastClient client) {
        current = null;
        subscribeOn(client);
    }

    synchronized List<Long> offsets() {
        return List.copyOf(offsets);
    }

    synchronized int gaps() {
        return gaps;
    }

    private final class Listener implements SubscriptionListener {
        @Override
        public void onSubscribed(Subscribed subscribed) {
            synchronized (RoomReader.this) {
                if (current == this) {
                    epoch = subscribed.epoch();
                }
            }
        }

        @Override
        public void onEvent(RoomEvent event) {
            synchronized (RoomReader.this) {
                if (current == this) {
                    offsets.add(event.offset());
                }
            }
        }

        @Override
        public void onGap(io.roomcast.client.Gap gap) {
            synchronized (RoomReader.this) {
                if (current == this) {
                    gaps++;
                }
            }
        }
    }
}
