package io.roomcast.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One selector thread driving many {@link WsConnection}s. Starts connections at most
 * {@code maxInFlight} at a time (a handshake is in flight until the client is subscribed or has
 * failed), so a burst of thousands does not overflow the server's accept backlog, and gives slow
 * clients their read budget ten times a second.
 *
 * <p>Thread-safety: other threads talk to it only through {@link #execute(Runnable)}.
 */
final class LoadLoop implements AutoCloseable {
    private static final int READ_BUFFER = 256 * 1024;
    private static final long TICK_NANOS = 100_000_000L;

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER);
    private final ArrayDeque<Runnable> waitingStarts = new ArrayDeque<>();
    private final List<WsConnection> slow = new ArrayList<>();
    private int inFlight;
    private int maxInFlight = 256;
    private int slowBytesPerTick;
    private long nextTick = System.nanoTime() + TICK_NANOS;
    private volatile boolean running = true;

    LoadLoop(String name) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    Selector selector() {
        return selector;
    }

    ByteBuffer readBuffer() {
        return readBuffer.clear();
    }

    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Loop thread: sets how many handshakes may be in flight and the slow clients' bytes per second. */
    void configure(int maxInFlight, int slowBytesPerSecond) {
        this.maxInFlight = Math.max(1, maxInFlight);
        this.slowBytesPerTick = Math.max(1, slowBytesPerSecond / 10);
    }

    /** Loop thread: runs {@code start} (which begins a connection) when a handshake slot is free. */
    void whenSlotFree(Runnable start) {
        if (inFlight < maxInFlight) {
            inFlight++;
            start.run();
        } else {
            waitingStarts.add(start);
        }
    }

    /** Loop thread: a handshake ended (ready or failed); the next waiting connection may start. */
    void slotDone() {
        inFlight--;
        Runnable next = waitingStarts.poll();
        if (next != null) {
            inFlight++;
            next.run();
        }
    }

    /** Loop thread: drops connections that have not started yet. */
    int cancelWaiting() {
        int n = waitingStarts.size();
        waitingStarts.clear();
        return n;
    }

    /** Loop thread: {@code c} reads only its budget each tick from now on. */
    void readSlowly(WsConnection c) {
        c.stopReading();
        slow.add(c);
    }

    void forgetSlow() {
        slow.clear();
    }

    private void run() {
        while (running) {
            try {
                selector.select(20);
                var keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    try {
                        handle(key);
                    } catch (java.nio.channels.CancelledKeyException e) {
                        // the connection closed while its events were being handled
                    }
                }
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                long now = System.nanoTime();
                if (now >= nextTick) {
                    nextTick = now + TICK_NANOS;
                    for (WsConnection c : slow) {
                        if (c.isOpen()) {
                            c.onReadable(slowBytesPerTick);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (running) {
                    System.err.println("load loop " + thread.getName() + ": " + e);
                }
            }
        }
    }

    private void handle(SelectionKey key) {
        WsConnection c = (WsConnection) key.attachment();
        if (!key.isValid()) {
            return;
        }
        int ready = key.readyOps();
        if ((ready & SelectionKey.OP_CONNECT) != 0) {
            c.onConnectable();
        }
        if (key.isValid() && (ready & SelectionKey.OP_WRITE) != 0) {
            c.onWritable();
        }
        if (key.isValid() && (ready & SelectionKey.OP_READ) != 0) {
            c.onReadable(Integer.MAX_VALUE);
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2_000);
            selector.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
