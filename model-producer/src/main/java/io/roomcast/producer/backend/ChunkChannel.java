package io.roomcast.producer.backend;

import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link TokenStream} a backend's feeder thread writes into: a bounded buffer between the
 * thread that reads the model's output and the generation that publishes it.
 *
 * <p>The feeder blocks in {@link #put} while the buffer is full, so a slow consumer (for
 * example Kafka being slow) holds the model's output back at the socket instead of in memory.
 * A failure is delivered after the chunks buffered before it. {@link #close()} wakes everyone:
 * the feeder's {@code put} returns {@code false}, an outstanding {@code next()} is cancelled,
 * and the close action (aborting the HTTP request, say) runs once.
 */
public final class ChunkChannel implements TokenStream {
    private final int capacity;
    private final ArrayDeque<StreamChunk> buffer;
    private Runnable closeAction = () -> { };
    private CompletableFuture<StreamChunk> waiting;
    private Throwable failure;
    private boolean closed;

    public ChunkChannel(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.buffer = new ArrayDeque<>(capacity);
    }

    /** Sets what {@link #close()} does to the producing side; runs at once if already closed. */
    public void onClose(Runnable action) {
        boolean runNow;
        synchronized (this) {
            closeAction = action;
            runNow = closed;
        }
        if (runNow) {
            action.run();
        }
    }

    /**
     * Hands a chunk to the consumer, waiting while the buffer is full.
     *
     * @return {@code false} if the stream was closed (the feeder should stop)
     */
    public boolean put(StreamChunk chunk) throws InterruptedException {
        CompletableFuture<StreamChunk> handOff;
        synchronized (this) {
            while (!closed && waiting == null && buffer.size() >= capacity) {
                wait();
            }
            if (closed) {
                return false;
            }
            if (waiting != null) {
                handOff = waiting;
                waiting = null;
            } else {
                buffer.addLast(chunk);
                return true;
            }
        }
        handOff.complete(chunk);
        return true;
    }

    /** Ends the stream with a failure, delivered after the chunks already buffered. */
    public void fail(Throwable cause) {
        CompletableFuture<StreamChunk> handOff;
        synchronized (this) {
            if (closed || failure != null) {
                return;
            }
            failure = cause;
            handOff = waiting;
            waiting = null;
        }
        if (handOff != null) {
            handOff.completeExceptionally(cause);
        }
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public CompletableFuture<StreamChunk> next() {
        synchronized (this) {
            if (waiting != null) {
                throw new IllegalStateException("next() called while a call is outstanding");
            }
            if (!buffer.isEmpty()) {
                StreamChunk chunk = buffer.removeFirst();
                notifyAll();
                return CompletableFuture.completedFuture(chunk);
            }
            if (closed) {
                return CompletableFuture.failedFuture(new CancellationException("stream closed"));
            }
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            waiting = new CompletableFuture<>();
            return waiting;
        }
    }

    @Override
    public void close() {
        CompletableFuture<StreamChunk> handOff;
        Runnable action;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            buffer.clear();
            handOff = waiting;
            waiting = null;
            action = closeAction;
            notifyAll();
        }
        if (handOff != null) {
            handOff.completeExceptionally(new CancellationException("stream closed"));
        }
        action.run();
    }
}
