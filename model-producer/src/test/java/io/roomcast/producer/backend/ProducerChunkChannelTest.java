package io.roomcast.producer.backend;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ProducerChunkChannelTest {
    private static final StreamChunk.Token A = new StreamChunk.Token("a");
    private static final StreamChunk.Token B = new StreamChunk.Token("b");

    @Test
    void shouldHandAChunkToAWaitingConsumer() throws Exception {
        ChunkChannel channel = new ChunkChannel(1);
        CompletableFuture<StreamChunk> next = channel.next();
        assertThat(next).isNotDone();
        assertThat(channel.put(A)).isTrue();
        assertThat(next.get(1, TimeUnit.SECONDS)).isEqualTo(A);
    }

    @Test
    void shouldBlockTheFeederWhileTheBufferIsFullAndReleaseItOnClose() throws Exception {
        ChunkChannel channel = new ChunkChannel(1);
        assertThat(channel.put(A)).isTrue();
        AtomicBoolean accepted = new AtomicBoolean(true);
        Thread feeder = new Thread(() -> {
            try {
                accepted.set(channel.put(B));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        feeder.start();
        await().until(() -> feeder.getState() == Thread.State.WAITING);
        AtomicBoolean closeAction = new AtomicBoolean();
        channel.onClose(() -> closeAction.set(true));
        channel.close();
        feeder.join(5_000);
        assertThat(feeder.isAlive()).isFalse();
        assertThat(accepted).isFalse();
        assertThat(closeAction).isTrue();
        assertThatThrownBy(() -> channel.next().get(1, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
    }

    @Test
    void shouldDeliverBufferedChunksBeforeAFailure() throws Exception {
        ChunkChannel channel = new ChunkChannel(4);
        channel.put(A);
        channel.fail(new BackendException(BackendException.BACKEND_ERROR, "gone", true));
        assertThat(channel.next().get(1, TimeUnit.SECONDS)).isEqualTo(A);
        assertThatThrownBy(() -> channel.next().get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(BackendException.class);
    }

    @Test
    void shouldCancelAnOutstandingNextOnClose() {
        ChunkChannel channel = new ChunkChannel(2);
        CompletableFuture<StreamChunk> next = channel.next();
        channel.close();
        assertThat(next).isCompletedExceptionally();
    }
}
