package io.roomcast.edge.http;

import io.undertow.server.HttpServerExchange;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

import java.io.Closeable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Work handed to a connection's IO thread from another thread (a Kafka callback, live dispatch, a
 * worker, a close). An IO thread refuses new work once the edge stops; nobody is left to answer
 * then, so the connection is closed at once instead, and the refusal does not travel back into the
 * caller (live dispatch would log it as a failed listener).
 */
public final class IoThreadTasks {
    private IoThreadTasks() {
    }

    /** Runs {@code task} on {@code exchange}'s IO thread, or closes its connection when the thread stops. Any thread. */
    public static void execute(HttpServerExchange exchange, Runnable task) {
        execute(exchange.getIoThread(), task, exchange.getConnection());
    }

    /**
     * Runs {@code task} on {@code exchange}'s IO thread after {@code delay}; null (and the connection
     * closed) when the thread stops. Any thread.
     */
    public static XnioExecutor.Key executeAfter(HttpServerExchange exchange, Runnable task, long delay, TimeUnit unit) {
        return executeAfter(exchange.getIoThread(), task, delay, unit, exchange.getConnection());
    }

    /** Runs {@code task} on {@code thread}, or closes {@code connection} when the thread stops. Any thread. */
    public static void execute(XnioExecutor thread, Runnable task, Closeable connection) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException stopping) {
            IoUtils.safeClose(connection);
        }
    }

    /** Runs {@code task} on {@code thread} after {@code delay}; null (and {@code connection} closed) when the thread stops. Any thread. */
    public static XnioExecutor.Key executeAfter(XnioExecutor thread, Runnable task, long delay, TimeUnit unit, Closeable connection) {
        try {
            return thread.executeAfter(task, delay, unit);
        } catch (RejectedExecutionException stopping) {
            IoUtils.safeClose(connection);
            return null;
        }
    }
}
