package io.roomcast.shipper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Standard input as a {@link ByteInput}: a reader thread copies the stream into a bounded
 * buffer that keeps every byte until Kafka has acknowledged the records made of it, so that a
 * failed send can be repeated from the buffer. When the buffer is full the reader thread stops
 * reading, which pushes back on whatever writes into the pipe.
 *
 * <p>Thread-safe: the reader thread appends, the shipper thread reads, the producer's callback
 * thread acknowledges.
 */
final class StdinInput implements ByteInput {
    private static final Logger log = LoggerFactory.getLogger(StdinInput.class);
    private static final int CHUNK = 64 * 1024;

    private final InputStream in;
    private final long capacity;
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private final Thread reader;
    private long start;
    private long end;
    private boolean eof;
    private boolean closed;

    StdinInput(InputStream in, long capacity) {
        this.in = in;
        this.capacity = capacity;
        this.reader = new Thread(this::pump, "roomcast-shipper-stdin");
        // System.in cannot be interrupted; a daemon thread does not keep the JVM alive for it.
        reader.setDaemon(true);
        reader.start();
    }

    private void pump() {
        byte[] buffer = new byte[CHUNK];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (n > 0 && !append(Arrays.copyOf(buffer, n))) {
                    return;
                }
            }
        } catch (IOException e) {
            log.atWarn().addKeyValue("error", e.toString()).log("reading stdin failed; treating it as ended");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (this) {
                eof = true;
            }
        }
    }

    private synchronized boolean append(byte[] data) throws InterruptedException {
        while (!closed && end - start + data.length > capacity) {
            wait();
        }
        if (closed) {
            return false;
        }
        chunks.addLast(data);
        end += data.length;
        return true;
    }

    /** Whether the stream has ended and every byte of it has been read up to {@code position}. */
    synchronized boolean endedAt(long position) {
        return eof && position >= end;
    }

    @Override
    public synchronized int read(long position, byte[] target, int length) throws IOException {
        if (position < start) {
            throw new IOException("stdin position " + position + " is no longer retained (from " + start + ")");
        }
        long chunkStart = start;
        int copied = 0;
        for (byte[] chunk : chunks) {
            long chunkEnd = chunkStart + chunk.length;
            long at = position + copied;
            if (at < chunkEnd && copied < length) {
                int from = (int) (at - chunkStart);
                int n = Math.min(chunk.length - from, length - copied);
                System.arraycopy(chunk, from, target, copied, n);
                copied += n;
            }
            chunkStart = chunkEnd;
        }
        return copied;
    }

    @Override
    public HeadFingerprint head(long upTo) {
        return null;
    }

    @Override
    public synchronized void acknowledged(long position) {
        boolean released = false;
        while (!chunks.isEmpty() && start + chunks.peekFirst().length <= position) {
            start += chunks.removeFirst().length;
            released = true;
        }
        if (released) {
            notifyAll();
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            closed = true;
            chunks.clear();
            notifyAll();
        }
        if (in != System.in) {
            in.close();
        }
    }

    /** Waits for the reader thread to end (after {@link #close()} or at the end of the stream). */
    void join(long millis) throws InterruptedException {
        reader.join(millis);
    }
}
