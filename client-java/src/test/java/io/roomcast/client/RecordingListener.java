package io.roomcast.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/** Writes down every callback as a short line, and checks the delivery contract (one at a time) as it goes. */
class RecordingListener implements SubscriptionListener {

    final List<String> log = new CopyOnWriteArrayList<>();
    final List<RoomEvent> events = new CopyOnWriteArrayList<>();
    final AtomicInteger concurrent = new AtomicInteger();
    final AtomicInteger overlaps = new AtomicInteger();
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(RoomEvent event) {
        enter();
        events.add(event);
        log.add("event:" + event.offset());
        leave();
    }

    @Override
    public void onSubscribed(Subscribed s) {
        enter();
        log.add("subscribed:" + s.epoch() + ":" + s.recovered() + (s.resumed() ? ":resumed" : ""));
        leave();
    }

    @Override
    public void onLive(long offset) {
        enter();
        log.add("live:" + offset);
        leave();
    }

    @Override
    public void onGap(Gap gap) {
        enter();
        log.add("gap:" + gap.reason() + ":" + gap.after() + ":" + gap.resumeAt());
        leave();
    }

    @Override
    public void onError(ClientError error) {
        enter();
        log.add("error:" + error.code().wireName());
        leave();
    }

    List<Long> offsets() {
        return events.stream().map(RoomEvent::offset).collect(Collectors.toList());
    }

    private void enter() {
        threads.add(Thread.currentThread().getName());
        if (concurrent.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
        }
    }

    private void leave() {
        concurrent.decrementAndGet();
    }
}
