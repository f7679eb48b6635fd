package io.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClientSerialExecutorTest {

    @Test
    void shouldRunTasksInOrderAndNeverConcurrentlyOnAPool() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            SerialExecutor serial = new SerialExecutor(pool, "test");
            List<Integer> seen = new CopyOnWriteArrayList<>();
            AtomicBoolean running = new AtomicBoolean();
            AtomicInteger overlaps = new AtomicInteger();
            for (int i = 0; i < 5_000; i++) {
                int n = i;
                serial.execute(() -> {
                    if (!running.compareAndSet(false, true)) {
                        overlaps.incrementAndGet();
                    }
                    seen.add(n);
                    running.set(false);
                });
            }
            await().atMost(10, TimeUnit.SECONDS).until(() -> seen.size() == 5_000);
            assertThat(overlaps).hasValue(0);
            for (int i = 0; i < 5_000; i++) {
                assertThat(seen.get(i)).isEqualTo(i);
            }
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void shouldGoOnAfterAFailingTaskAndRunInlineOnceTheExecutorIsShutDown() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        SerialExecutor serial = new SerialExecutor(pool, "test");
        List<String> seen = new CopyOnWriteArrayList<>();
        serial.execute(() -> {
            throw new IllegalStateException("boom");
        });
        serial.execute(() -> seen.add("after failure"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> seen.size() == 1);
        pool.shutdown();
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        serial.execute(() -> seen.add("inline"));
        assertThat(seen).containsExactly("after failure", "inline");
    }

    @Test
    void shouldSignalReliefOnceTheBacklogIsDownToHalf() {
        AtomicInteger reliefs = new AtomicInteger();
        DeliveryBudget budget = new DeliveryBudget(4, reliefs::incrementAndGet);
        for (int i = 0; i < 3; i++) {
            budget.take();
        }
        assertThat(budget.spent()).isFalse();
        budget.take();
        assertThat(budget.spent()).isTrue();
        budget.release();
        assertThat(reliefs).hasValue(0);
        budget.release();
        assertThat(reliefs).hasValue(1);
        budget.release();
        budget.release();
        assertThat(reliefs).hasValue(1);
        assertThat(budget.outstanding()).isZero();
        assertThat(budget.spent()).isFalse();
    }
}
