package io.roomcast.edge.subscription;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class ReadPermitsTest {

    @Test
    void shouldRunAtMostTheLimitAtOnceAndStartWaitingReadsInTurn() {
        ReadPermits permits = new ReadPermits(2);
        List<CompletableFuture<Integer>> started = new ArrayList<>();
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            CompletableFuture<Integer> read = new CompletableFuture<>();
            results.add(permits.run(() -> {
                started.add(read);
                return read;
            }));
        }
        assertThat(started).hasSize(2);
        assertThat(permits.waiting()).isEqualTo(2);

        started.get(0).complete(10);
        assertThat(results.get(0)).isCompletedWithValue(10);
        assertThat(started).hasSize(3);

        started.get(1).completeExceptionally(new IllegalStateException("read failed"));
        assertThat(results.get(1)).isCompletedExceptionally();
        assertThat(started).hasSize(4);
        assertThat(permits.waiting()).isZero();

        started.get(2).complete(30);
        started.get(3).complete(40);
        assertThat(results.get(3)).isCompletedWithValue(40);
        CompletableFuture<Integer> later = permits.run(() -> CompletableFuture.completedFuture(50));
        assertThat(later).isCompletedWithValue(50);
    }

    @Test
    void shouldReleaseThePermitWhenStartingTheReadThrows() {
        ReadPermits permits = new ReadPermits(1);
        CompletableFuture<Object> failed = permits.run(() -> {
            throw new IllegalStateException("queue full");
        });
        assertThat(failed).isCompletedExceptionally();
        assertThat(permits.run(() -> CompletableFuture.completedFuture(1))).isCompletedWithValue(1);
    }
}
