package io.roomcast.edge.session;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class DrainWaitersTest {
    private final DrainWaiters waiters = new DrainWaiters();
    private final List<String> ran = new ArrayList<>();

    @Test
    void shouldRunATaskAtOnceWhenTheBufferHasDrainedAlready() {
        waiters.await(() -> ran.add("a"), () -> true);

        assertThat(ran).containsExactly("a");
        waiters.drained();
        assertThat(ran).as("not run a second time").containsExactly("a");
    }

    @Test
    void shouldRunWaitingTasksOnceEachInOrderWhenTheBufferDrains() {
        waiters.await(() -> ran.add("a"), () -> false);
        waiters.await(() -> ran.add("b"), () -> false);
        assertThat(ran).isEmpty();

        waiters.drained();
        waiters.drained();

        assertThat(ran).containsExactly("a", "b");
    }

    @Test
    void shouldRunTheOtherTasksWhenOneThrows() {
        waiters.await(() -> {
            throw new IllegalStateException("a broken callback");
        }, () -> false);
        waiters.await(() -> ran.add("b"), () -> false);

        waiters.drained();

        assertThat(ran).containsExactly("b");
    }

    @Test
    void shouldDoNothingWhenNoOneWaits() {
        waiters.drained();

        assertThat(ran).isEmpty();
    }

    /**
     * The race the flag must not lose: a waiter asks whether the buffer drained while the writer
     * empties it and reports it. Whatever the interleaving, every task runs exactly once.
     */
    @Test
    void shouldLoseNoWakeUpWhenTheBufferDrainsWhileATaskRegisters() throws Exception {
        int rounds = 5_000;
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger queued = new AtomicInteger();
        for (int i = 0; i < rounds; i++) {
            DrainWaiters w = new DrainWaiters();
            queued.set(1);
            CountDownLatch start = new CountDownLatch(1);
            Thread writer = new Thread(() -> {
                awaitQuietly(start);
                queued.set(0);
                w.drained();
            });
            writer.start();
            start.countDown();
            w.await(runs::incrementAndGet, () -> queued.get() == 0);
            writer.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(runs.get()).as("round %d", i).isEqualTo(i + 1);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
