package io.roomcast.bench.target;

import io.roomcast.bench.load.EpochMicros;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes a steady {@code eventsPerSecond} round-robin over the rooms on its own thread. Every
 * event's data carries its send time: {@code {"t":EPOCH_MICROS,"s":SEQ,"p":"xx.."}}, padded to
 * the requested size, so receivers can measure publish-to-receive latency.
 */
public final class PacedPublisher implements AutoCloseable {
    private final EventSink sink;
    private final List<String> rooms;
    private final int eventsPerSecond;
    private final int payloadBytes;
    private final AtomicLong sent = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    public PacedPublisher(EventSink sink, List<String> rooms, int eventsPerSecond, int payloadBytes) {
        this.sink = sink;
        this.rooms = rooms;
        this.eventsPerSecond = eventsPerSecond;
        this.payloadBytes = payloadBytes;
        this.thread = new Thread(this::run, "paced-publisher");
        thread.setDaemon(true);
        thread.start();
    }

    /** The data of event {@code seq}, stamped now, {@code size} bytes long (at least the stamp). */
    public static byte[] payload(long seq, int size) {
        String head = "{\"t\":" + EpochMicros.now() + ",\"s\":" + seq + ",\"p\":\"";
        int pad = Math.max(0, size - head.length() - 2);
        StringBuilder b = new StringBuilder(head.length() + pad + 2).append(head);
        for (int i = 0; i < pad; i++) {
            b.append((char) ('a' + (i % 26)));
        }
        return b.append("\"}").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Publishes {@code perRoom} events into each room as fast as the sink takes them, then syncs. */
    public static long burst(EventSink sink, List<String> rooms, int perRoom, int payloadBytes) {
        long n = 0;
        for (int i = 0; i < perRoom; i++) {
            for (String room : rooms) {
                sink.publish(room, payload(n++, payloadBytes));
            }
        }
        sink.sync();
        return n;
    }

    public long sent() {
        return sent.get();
    }

    private void run() {
        long start = System.nanoTime();
        long n = 0;
        try {
            while (running) {
                long due = (System.nanoTime() - start) * eventsPerSecond / 1_000_000_000L;
                while (n < due && running) {
                    sink.publish(rooms.get((int) (n % rooms.size())), payload(n, payloadBytes));
                    n++;
                    sent.set(n);
                }
                LockSupport.parkNanos(500_000);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** Stops publishing and returns how many events were sent. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new IllegalStateException("publisher failed: " + failure.getMessage(), failure);
        }
    }
}
