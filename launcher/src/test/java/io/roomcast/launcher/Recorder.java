package io.roomcast.launcher;

import io.roomcast.client.Gap;
import io.roomcast.client.RoomEvent;
import io.roomcast.client.SubscriptionListener;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a Java-client subscription receives, for assertions. */
final class Recorder implements SubscriptionListener {
    final List<RoomEvent> events = new CopyOnWriteArrayList<>();
    final List<Gap> gaps = new CopyOnWriteArrayList<>();
    volatile boolean live;

    @Override
    public void onLive(long offset) {
        live = true;
    }

    @Override
    public void onEvent(RoomEvent event) {
        events.add(event);
    }

    @Override
    public void onGap(Gap gap) {
        gaps.add(gap);
    }

    List<Long> offsets() {
        List<Long> out = new ArrayList<>();
        events.forEach(e -> out.add(e.offset()));
        return out;
    }

    List<String> types() {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.type()));
        return out;
    }
}
