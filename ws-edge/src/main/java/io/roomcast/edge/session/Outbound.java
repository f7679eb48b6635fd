package io.roomcast.edge.session;

import io.roomcast.edge.http.IoThreadTasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.conduits.ConduitStreamSinkChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * The bounded outbound queue of one connection and its writer. Every frame is charged here when it
 * is queued and released once the socket has taken it: the bound is real. Events are refused when
 * the queue is full (the subscription then falls back to catching up at the client's pace).
 * Control frames (answers, notices, pings, pongs) are accepted beyond the event limit but counted
 * too, in units of {@link #CONTROL_UNIT_BYTES} (a large answer, a room's member list or snapshot,
 * counts as many): a client that keeps asking while reading nothing fills {@link #CONTROL_LIMIT},
 * and the owner is told once ({@code onFlood}) to close it.
 *
 * <p>Frames are written by the connection's own IO thread ({@link IoFlusher}), straight to the
 * upgraded socket: each queued payload is copied behind its few header bytes into the thread's
 * {@link Cork}, and a flush leaves in one write system call.
 * Single frames queued since the last flush are joined into batch messages (the protocol's JSON
 * array form, at most {@code batchBytes}). When the socket takes less than the whole flush, the
 * rest waits in this connection's {@link Leftover} (bounded by what was charged) and nothing more is taken
 * from the queue until the socket is writable again. The close frame is queued like the others, so
 * it never overtakes the frames before it; nothing but a close frame's echo is written after a close
 * frame was sent or received, and the socket closes once the close handshake is done (or after
 * {@link #CLOSE_GRACE_SECONDS} when the client does not answer).
 *
 * <p>Thread-safety: the queueing methods are safe for concurrent use, and frames handed over by one
 * thread keep their order; {@link #flush} and the socket's write listener run on the IO thread.
 */
public final class Outbound implements FrameSink {
    private static final Logger log = LoggerFactory.getLogger(Outbound.class);
    /** Control units that may wait unwritten before the client counts as flooding: about 4 MiB of answers. */
    static final int CONTROL_LIMIT = 1_024;
    /** A control frame counts one unit, and one more for each of these bytes it holds. */
    static final int CONTROL_UNIT_BYTES = 4_096;
    /** How long the edge waits for the client's answer to its close frame before it closes the socket. */
    static final int CLOSE_GRACE_SECONDS = 2;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /**
     * The queue entry of the event frame offered last, edge-wide: a live event's frame is one shared buffer
     * (see EventFrames), so its entry, a value, is the same for all of a room's subscribers in a row. Racy by
     * design, as EventFrames' memo: a stale read only costs one more entry.
     */
    private static volatile Queued lastEvent = Queued.text(EMPTY, 1, 0, true);
    private static final byte[] OPEN = {'['};
    private static final byte COMMA = ',';
    private static final byte CLOSE = ']';

    /**
     * A queued message: a text frame that may be joined with its neighbours, a prepared batch, a
     * ping or pong, or (with {@code then}) an action to run once everything before it is written.
     * {@code control}: its control units (0 for events).
     */
    record Queued(ByteBuffer message, int count, int control, boolean joinable, byte opcode, Runnable then) {
        static Queued text(ByteBuffer message, int count, int control, boolean joinable) {
            return new Queued(message, count, control, joinable, WireFrames.TEXT, null);
        }
    }

    private final StreamConnection connection;
    private final ConduitStreamSinkChannel sink;
    private final IoFlusher flusher;
    private final int limit;
    private final int batchBytes;
    // Counters and flags are fields behind updaters, not atomic objects: five of those were ≈ 90 bytes of each idle connection.
    private static final AtomicIntegerFieldUpdater<Outbound> QUEUED = AtomicIntegerFieldUpdater.newUpdater(Outbound.class, "queued");
    private static final AtomicLongFieldUpdater<Outbound> QUEUED_BYTES = AtomicLongFieldUpdater.newUpdater(Outbound.class, "queuedBytes");
    private static final AtomicIntegerFieldUpdater<Outbound> DIRTY = AtomicIntegerFieldUpdater.newUpdater(Outbound.class, "dirty");
    private static final AtomicIntegerFieldUpdater<Outbound> CONTROL_QUEUED = AtomicIntegerFieldUpdater.newUpdater(Outbound.class, "controlQueued");
    private static final AtomicIntegerFieldUpdater<Outbound> FLOODED = AtomicIntegerFieldUpdater.newUpdater(Outbound.class, "flooded");
    private volatile int queued;
    private volatile long queuedBytes;
    private final OutboundMetrics metrics;
    private final DrainWaiters drainWaiters = new DrainWaiters();
    private final ConcurrentLinkedQueue<Queued> pending = new ConcurrentLinkedQueue<>();
    /** 1 while the connection is in its flusher's list (a boolean). */
    private volatile int dirty;
    private volatile int controlQueued;
    /** 1 once the control frames overflowed (a boolean). */
    private volatile int flooded;
    private final Runnable onFlood;
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile boolean gone;
    // IO thread only: bytes taken from the queue that the socket has not accepted yet, and what they stand for.
    private Leftover leftover;
    private boolean listening;
    // IO thread only: the close handshake.
    private boolean closeSent;
    private boolean closeReceived;

    /**
     * Called on the connection's IO thread when it opens.
     *
     * @param limit      event frames that may be queued at once (each event of a batch counts)
     * @param batchBytes the largest WebSocket message built from several frames
     */
    Outbound(StreamConnection connection, IoFlusher flusher, int limit, int batchBytes, OutboundMetrics metrics, Runnable onFlood) {
        this.connection = connection;
        this.sink = connection.getSinkChannel();
        this.flusher = flusher;
        this.limit = limit;
        this.batchBytes = batchBytes;
        this.metrics = metrics;
        this.onFlood = onFlood;
    }

    /** The IO thread's part of the edge this connection belongs to. Any thread. */
    IoFlusher flusher() {
        return flusher;
    }

    /** Sends an event frame if the buffer has room; false when it is full. The live thread or a worker. */
    @Override
    public boolean offer(ByteBuffer frame) {
        int now = QUEUED.incrementAndGet(this);
        if (now > limit) {
            QUEUED.decrementAndGet(this);
            return false;
        }
        Queued event = lastEvent;
        if (event.message() != frame) {
            event = Queued.text(frame, 1, 0, true);
            lastEvent = event;
        }
        enqueue(event);
        return true;
    }

    /** Sends a control frame regardless of the event limit (see {@link #CONTROL_LIMIT}). Any thread. */
    @Override
    public void force(ByteBuffer frame) {
        control(Queued.text(frame, 1, 1 + frame.remaining() / CONTROL_UNIT_BYTES, true));
    }

    /** Sends a WebSocket ping. The heartbeat sweep's thread. */
    public void ping() {
        control(new Queued(EMPTY, 1, 1, false, WireFrames.PING, null));
    }

    /** Answers a client's ping with its payload (at most 125 bytes, as the frame reader checked). The IO thread. */
    public void pong(ByteBuffer payload) {
        control(new Queued(payload, 1, 1, false, WireFrames.PONG, null));
    }

    private void control(Queued frame) {
        QUEUED.incrementAndGet(this);
        if (CONTROL_QUEUED.addAndGet(this, frame.control()) > CONTROL_LIMIT && FLOODED.compareAndSet(this, 0, 1)) {
            onFlood.run();
        }
        enqueue(frame);
    }

    /**
     * Sends event frames regardless of the limit (the caller sized them by {@link #free()}). The writer joins
     * them, with whatever else is queued, into as few WebSocket messages as fit {@code batchBytes} each, built
     * straight into its cork: the frames, which other subscribers may share, are copied once. Each event counts
     * against the limit until its message is written. Replays use this, on a worker.
     */
    @Override
    public void forceBatch(List<ByteBuffer> frames) {
        QUEUED.addAndGet(this, frames.size());
        for (ByteBuffer frame : frames) {
            enqueue(Queued.text(frame, 1, 0, true));
        }
    }

    /** How many more event frames fit right now. Any thread. */
    @Override
    public int free() {
        return Math.max(0, limit - queued);
    }

    /** Frames queued and not yet written. Any thread. */
    public int queued() {
        return queued;
    }

    /** Bytes queued and not yet written. Any thread. */
    public long queuedBytes() {
        return queuedBytes;
    }

    /** Nanotime of the last write the socket took bytes from, or of creation. Any thread. */
    public long lastProgressNanos() {
        return lastProgressNanos;
    }

    /**
     * Runs {@code task} once the buffer has drained to half its limit (at once if it already has).
     * The task runs on whichever thread completes a write, usually the IO thread: it must not block.
     */
    @Override
    public void whenDrained(Runnable task) {
        drainWaiters.await(task, () -> queued <= limit / 2);
    }

    /**
     * Sends a close frame after the frames queued before it, then half-closes the socket and closes it
     * once the client answers with its own close frame or hangs up (at once if its close frame already
     * came), or after {@link #CLOSE_GRACE_SECONDS}. Waiting for the answer, and reading meanwhile,
     * keeps the close frame from being lost: a socket closed with unread bytes resets the connection,
     * and the client may then drop what it had not read yet. Only the first close frame is sent. Any
     * thread.
     */
    public void close(int code, String reason) {
        close(code, reason, this::awaitCloseAnswer);
    }

    private void close(int code, String reason, Runnable then) {
        control(new Queued(WireFrames.closePayload(code, reason), 1, 1, false, WireFrames.CLOSE, null));
        pending.add(new Queued(null, 0, 0, false, (byte) 0, then));
        markDirty();
    }

    /**
     * The client's close frame arrived: what is still queued is dropped, the close frame is echoed
     * ({@code code} -1: an empty one) and the socket closes; if the edge had sent its own close frame,
     * this was the answer and the socket closes now. The IO thread.
     */
    void closeReceived(int code, String reason) {
        closeReceived = true;
        if (closeSent) {
            hangUp();
        } else {
            close(code, reason, this::hangUp);
        }
    }

    /** The IO thread, once the edge's close frame is on the socket. */
    private void awaitCloseAnswer() {
        if (closeReceived || gone) {
            hangUp();
            return;
        }
        try {
            sink.shutdownWrites();
            sink.flush();
        } catch (IOException e) {
            hangUp();
            return;
        }
        hangUpAfterGrace();
    }

    /**
     * Ends the connection once the close grace has passed, or at once when its IO thread is stopping
     * (the edge stops) and takes no more timers: nobody would wait for the client's answer then. Any thread.
     */
    void hangUpAfterGrace() {
        IoThreadTasks.executeAfter(connection.getIoThread(), this::hangUp, CLOSE_GRACE_SECONDS, TimeUnit.SECONDS, connection);
    }

    private void hangUp() {
        IoUtils.safeClose(connection);
    }

    /** The connection is gone: whatever is queued is released unwritten. The socket's close listener (IO thread). */
    void closed() {
        gone = true;
        markDirty();
    }

    private void enqueue(Queued message) {
        int size = message.message().remaining();
        QUEUED_BYTES.addAndGet(this, size);
        pending.add(message);
        markDirty();
    }

    private void markDirty() {
        if (DIRTY.compareAndSet(this, 0, 1)) {
            flusher.dirty(this);
        }
    }

    /**
     * On the connection's IO thread: writes what is queued through {@code cork}, joining neighbouring
     * single frames into batch messages. Cleared first, so frames queued meanwhile make the connection
     * dirty again. While the socket holds back a leftover, nothing more is taken (the write listener
     * goes on when it is writable). The cork is empty again when this returns.
     */
    void flush(Cork cork) {
        dirty = 0;
        if (gone && leftover != null) {
            releaseLeftover(false);
        }
        if (leftover != null) {
            return;
        }
        Queued next;
        while (leftover == null && (next = pending.peek()) != null) {
            if (next.then() != null) {
                if (!writeOut(cork)) {
                    break;
                }
                pending.poll();
                next.then().run();
            } else if (next.opcode() == WireFrames.CLOSE && !gone && !closeSent) {
                pending.poll();
                closeSent = true;
                ByteBuffer m = next.message();
                frame(cork, WireFrames.CLOSE, m, null, m.remaining(), m.remaining(), next.count(), 1);
            } else if (muted()) {
                pending.poll();
                released(next.message().remaining(), next.count(), next.control(), 1, false);
            } else if (next.joinable()) {
                takeRun(cork);
            } else {
                pending.poll();
                ByteBuffer m = next.message();
                frame(cork, next.opcode(), m, null, m.remaining(), m.remaining(), next.count(), next.control());
            }
        }
        if (leftover == null) {
            writeOut(cork);
        }
    }

    /** Nothing more may be written (but a close frame's echo): the connection is gone, or a close frame was sent or received. */
    private boolean muted() {
        return gone || closeSent || closeReceived;
    }

    /** Takes the joinable frames at the head of the queue, up to {@code batchBytes} as one JSON array, and frames them. */
    private void takeRun(Cork cork) {
        List<Queued> run = cork.run;
        run.clear();
        int length = 1;
        int size = 0;
        int count = 0;
        int controls = 0;
        Queued q;
        while ((q = pending.peek()) != null && q.joinable()) {
            int frameBytes = q.message().remaining();
            if (!run.isEmpty() && length + frameBytes + 1 > batchBytes) {
                break;
            }
            pending.poll();
            run.add(q);
            length += frameBytes + 1;
            size += frameBytes;
            count += q.count();
            controls += q.control();
        }
        if (run.size() == 1) {
            ByteBuffer m = run.get(0).message();
            frame(cork, WireFrames.TEXT, m, null, size, size, count, controls);
        } else {
            frame(cork, WireFrames.TEXT, null, run, length, size, count, controls);
        }
        run.clear();
    }

    /**
     * Frames one message — {@code message}, or the JSON array of {@code run} ({@code length} bytes) —
     * into the cork, writing the cork out first when it is full. A message larger than the cork is
     * written on its own; whatever the socket does not take becomes the leftover.
     */
    private void frame(Cork cork, byte opcode, ByteBuffer message, List<Queued> run, int length, int size, int count, int controls) {
        int wire = WireFrames.headerLength(length) + length;
        if (wire > cork.bytes.remaining() && !writeOut(cork)) {
            if (leftover == null) { // the connection broke: nothing more will be written
                released(size, count, controls, 1, false);
                return;
            }
            leftover.append(wire, grown -> put(grown, opcode, message, run, length));
            leftover.tally.add(size, count, controls);
            return;
        }
        if (wire <= cork.bytes.remaining()) {
            put(cork.bytes, opcode, message, run, length);
            cork.tally.add(size, count, controls);
            return;
        }
        ByteBuffer alone = ByteBuffer.allocate(wire);
        put(alone, opcode, message, run, length);
        alone.flip();
        cork.tally.add(size, count, controls);
        writeAlone(cork, alone);
    }

    private static void put(ByteBuffer dst, byte opcode, ByteBuffer message, List<Queued> run, int length) {
        WireFrames.putHeader(dst, opcode, length);
        if (run == null) {
            copy(dst, message);
            return;
        }
        dst.put(OPEN);
        for (int i = 0; i < run.size(); i++) {
            if (i > 0) {
                dst.put(COMMA);
            }
            copy(dst, run.get(i).message());
        }
        dst.put(CLOSE);
    }

    /** Appends {@code frame}'s bytes with an absolute bulk copy: the frame is shared, and a {@code duplicate()} per delivery was the largest allocation site in an alloc profile. */
    private static void copy(ByteBuffer dst, ByteBuffer frame) {
        int n = frame.remaining();
        dst.put(dst.position(), frame, frame.position(), n);
        dst.position(dst.position() + n);
    }

    /** Writes a message larger than the cork on its own; the cork is empty and accounts for it. */
    private void writeAlone(Cork cork, ByteBuffer alone) {
        try {
            write(alone, cork.now);
        } catch (IOException e) {
            broken(cork, e);
            return;
        }
        settle(cork, alone);
    }

    /**
     * Writes the cork to the socket. True when the socket took all of it (its frames are released);
     * false when some is left over (it moves to this connection's leftover and the socket's write
     * listener is armed) or the connection broke.
     */
    private boolean writeOut(Cork cork) {
        ByteBuffer b = cork.bytes;
        if (b.position() == 0) {
            return true;
        }
        b.flip();
        try {
            write(b, cork.now);
        } catch (IOException e) {
            broken(cork, e);
            return false;
        }
        boolean all = settle(cork, b);
        b.clear();
        return all;
    }

    /** {@code now} is the flush's start (one clock read per flush task, not per write: the stall timeout is seconds). */
    private void write(ByteBuffer b, long now) throws IOException {
        while (b.hasRemaining()) {
            if (sink.write(b) == 0) {
                break;
            }
            lastProgressNanos = now;
        }
    }

    /** After a write of {@code b}: releases the cork's frames, or moves the rest into the leftover. */
    private boolean settle(Cork cork, ByteBuffer b) {
        boolean flushed;
        try {
            flushed = !b.hasRemaining() && sink.flush();
        } catch (IOException e) {
            broken(cork, e);
            return false;
        }
        if (flushed) {
            released(cork.tally, true);
            cork.reset();
            return true;
        }
        leftover = new Leftover(b, cork.tally);
        cork.reset();
        awaitWritable();
        return false;
    }

    /** Arms the socket's write listener (set at the first short write: most connections never need it). */
    private void awaitWritable() {
        if (!listening) {
            listening = true;
            sink.setWriteListener((ChannelListener<ConduitStreamSinkChannel>) ch -> {
                if (leftover != null && !writeLeftover()) {
                    return;
                }
                flush(flusher.stampedCork());
            });
        }
        sink.resumeWrites();
    }

    /** On the IO thread when the socket is writable: true once the leftover is all on the socket. */
    private boolean writeLeftover() {
        try {
            write(leftover.bytes, System.nanoTime());
            if (leftover.bytes.hasRemaining() || !sink.flush()) {
                sink.resumeWrites();
                return false;
            }
        } catch (IOException e) {
            log.atDebug().addKeyValue("remote", String.valueOf(connection.getPeerAddress())).setCause(e).log("write failed");
            gone = true;
            releaseLeftover(false);
            IoUtils.safeClose(connection);
            return true;
        }
        releaseLeftover(true);
        return true;
    }

    private void releaseLeftover(boolean written) {
        Tally tally = leftover.tally;
        leftover = null;
        released(tally, written);
    }

    private void broken(Cork cork, IOException e) {
        log.atDebug().addKeyValue("remote", String.valueOf(connection.getPeerAddress())).setCause(e).log("write failed");
        gone = true;
        released(cork.tally, false);
        cork.reset();
        IoUtils.safeClose(connection);
    }

    /** Releases written (or failed) messages: their bytes, their events and control frames, once. */
    private void released(Tally tally, boolean written) {
        released(tally.size, tally.count, tally.controls, tally.messages, written);
    }

    private void released(int size, int count, int controls, int messages, boolean written) {
        if (messages == 0) {
            return;
        }
        CONTROL_QUEUED.addAndGet(this, -controls);
        QUEUED_BYTES.addAndGet(this, -size);
        metrics.released(size, messages, written);
        if (QUEUED.addAndGet(this, -count) <= limit / 2) {
            drainWaiters.drained();
        }
    }
}
