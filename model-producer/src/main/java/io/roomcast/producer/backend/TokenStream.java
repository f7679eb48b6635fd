package io.roomcast.producer.backend;

import java.util.concurrent.CompletableFuture;

/**
 * A model's answer being streamed. Pull-based: the caller asks for one chunk at a time with
 * {@link #next()}, which lets it apply its own timeouts and stop reading at any time; a
 * backend reads ahead at most a small bounded number of chunks.
 *
 * <p>Threading: {@link #next()} is called by one consumer, with at most one call outstanding.
 * {@link #close()} may be called from any thread at any time, is idempotent, releases the
 * underlying request, and fails an outstanding {@code next()} promptly.
 */
public interface TokenStream extends AutoCloseable {

    /**
     * The next chunk: a {@link StreamChunk.Token}, then eventually one {@link StreamChunk.Finish}.
     * Completes exceptionally with a {@link BackendException} when the backend fails, or with a
     * {@link java.util.concurrent.CancellationException} once the stream is closed.
     */
    CompletableFuture<StreamChunk> next();

    @Override
    void close();
}
