package io.roomcast.edge.session;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roomcast.event.RoomEvent;
import io.roomcast.room.RoomName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class SessionMetricsTest {
    private static final RoomName ROOM = RoomName.of("chat:metrics");

    @Test
    void shouldCountEveryLiveDeliveryWhicheverThreadMakesIt() throws InterruptedException {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AtomicReference<Thread> tail = new AtomicReference<>();
        SessionMetrics metrics = new SessionMetrics(meters, () -> Thread.currentThread() == tail.get());
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        // The tail's thread hands 200 events to 100 subscribers each; three workers deliver at once (catch-up switches).
        threads.add(new Thread(() -> deliver(metrics, start, 200, 100, 0)));
        tail.set(threads.get(0));
        for (int w = 1; w <= 3; w++) {
            int first = w * 1_000;
            threads.add(new Thread(() -> deliver(metrics, start, 500, 10, first)));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }

        assertThat(meters.get("roomcast.events.out").functionCounter().count()).isEqualTo(200 * 100 + 3 * 500 * 10);
    }

    @Test
    void shouldTimeEachEventOnceForItsFirstSubscriber() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        SessionMetrics metrics = new SessionMetrics(meters, () -> true);
        for (int offset = 0; offset < 5; offset++) {
            RoomEvent event = event(offset);
            for (int subscriber = 0; subscriber < 100; subscriber++) {
                metrics.deliveredLive(event);
            }
        }

        assertThat(meters.get("roomcast.delivery.latency").timer().count()).isEqualTo(5);
        assertThat(meters.get("roomcast.events.out").functionCounter().count()).isEqualTo(500);
    }

    private static void deliver(SessionMetrics metrics, CountDownLatch start, int events, int subscribers, int firstOffset) {
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        for (int i = 0; i < events; i++) {
            RoomEvent event = event(firstOffset + i);
            for (int s = 0; s < subscribers; s++) {
                metrics.deliveredLive(event);
            }
        }
    }

    private static RoomEvent event(long offset) {
        return new RoomEvent(ROOM, offset, "message", System.currentTimeMillis(), "{}".getBytes(StandardCharsets.UTF_8), null);
    }
}
