package io.roomcast.producer.backend;

/**
 * The stream of one generation's current attempt, so that the generation can be aborted from
 * another thread (a cancel, a lost partition) at any stage: while waiting for a retry, for the
 * first token, or between tokens. Once closed, every stream attached later is closed at once.
 * Thread-safe.
 */
public final class StreamHandle {
    private TokenStream current;
    private boolean closed;

    /** Makes {@code stream} the current one; closes it and returns {@code false} if already closed. */
    public boolean attach(TokenStream stream) {
        synchronized (this) {
            if (!closed) {
                current = stream;
                return true;
            }
        }
        stream.close();
        return false;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    public void close() {
        TokenStream stream;
        synchronized (this) {
            closed = true;
            stream = current;
            current = null;
        }
        if (stream != null) {
            stream.close();
        }
    }
}
