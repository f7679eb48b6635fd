package io.roomcast.edge.session;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InOrderTest {

    @Test
    void shouldRunOneConnectionsWritesInTheOrderHandedOverOneAtATimeOnAPoolOfThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            InOrder writes = new InOrder(pool);
            List<Integer> ran = new ArrayList<>();
            AtomicInteger running = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            int n = 5_000;
            CountDownLatch done = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                int index = i;
                while (true) {
                    try {
                        writes.execute(() -> {
                            if (running.incrementAndGet() > 1) {
                                overlaps.incrementAndGet();
                            }
                            synchronized (ran) {
                                ran.add(index);
                            }
                            running.decrementAndGet();
                            done.countDown();
                        });
                        break;
                    } catch (RejectedExecutionException full) {
                        Thread.onSpinWait(); // over the limit while the pool catches up: hand it over again
                    }
                }
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(overlaps).hasValue(0);
            synchronized (ran) {
                assertThat(ran).hasSize(n).isSorted();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldHoldAtMostItsLimitAndRecoverWhenTheWorkerRefuses() {
        QueuedWorker worker = new QueuedWorker();
        InOrder writes = new InOrder(worker);
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < InOrder.LIMIT; i++) {
            int index = i;
            writes.execute(() -> ran.add(index));
        }
        assertThat(worker.queued()).as("one drain for all of them").isEqualTo(1);
        assertThatThrownBy(() -> writes.execute(() -> ran.add(-1))).isInstanceOf(RejectedExecutionException.class);
        worker.runAll();
        assertThat(ran).hasSize(InOrder.LIMIT).isSorted();

        worker.full(true);
        assertThatThrownBy(() -> writes.execute(() -> ran.add(-2))).isInstanceOf(RejectedExecutionException.class);
        worker.full(false);
        writes.execute(() -> ran.add(InOrder.LIMIT));
        worker.runAll();
        assertThat(ran).hasSize(InOrder.LIMIT + 1).doesNotContain(-1, -2).isSorted();
    }

    @Test
    void shouldRunTheLaterWritesWhenOneThrows() {
        QueuedWorker worker = new QueuedWorker();
        InOrder writes = new InOrder(worker);
        List<String> ran = new ArrayList<>();
        writes.execute(() -> ran.add("first"));
        writes.execute(() -> {
            throw new IllegalStateException("a bug in one write");
        });
        writes.execute(() -> ran.add("third"));
        worker.runAll();
        writes.execute(() -> ran.add("fourth"));
        worker.runAll();
        assertThat(ran).containsExactly("first", "third", "fourth");
    }
}
