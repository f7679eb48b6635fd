package io.roomcast.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * One simulated client: a non-blocking socket, the HTTP upgrade, RFC 6455 framing (text frames,
 * fragments, ping/pong, close) and the protocol state its {@link Dialect} keeps. Holds no read
 * buffer of its own unless a frame arrived in pieces, so ten thousand idle clients cost little.
 *
 * <p>Thread-safety: confined to its {@link LoadLoop}'s thread.
 */
public final class WsConnection {
    private enum State { IDLE, CONNECTING, HANDSHAKE, OPEN, CLOSED }

    final ClientSpec spec;
    final LoadLoop loop;
    private final Dialect dialect;
    private final LoadListener listener;
    private SocketChannel channel;
    private SelectionKey key;
    private State state = State.IDLE;
    private ByteBuffer pending;
    private ArrayDeque<ByteBuffer> out;
    private ByteArrayOutputStream fragments;
    private InetSocketAddress server;
    private int receiveBuffer;
    private boolean closingByUs;
    private boolean ready;
    /** Whether this connection holds one of its loop's handshake slots. */
    boolean holdsSlot;

    // protocol state, kept across reconnects
    String epoch;
    long lastOffset = -1;
    String sioSid;
    String sioPid;
    String sioOffset;
    long events;

    // resume bookkeeping: reconnecting lasts until the server answered the reconnect (ready),
    // resuming until the client has every event it missed (which, with Socket.IO, may come first)
    boolean reconnecting;
    boolean resuming;
    private long resumeStartNanos;
    private long expected;
    private long sinceResume;

    WsConnection(ClientSpec spec, LoadLoop loop, Dialect dialect, LoadListener listener) {
        this.spec = spec;
        this.loop = loop;
        this.dialect = dialect;
        this.listener = listener;
    }

    public ClientSpec spec() {
        return spec;
    }

    boolean isOpen() {
        return state != State.IDLE && state != State.CLOSED;
    }

    boolean isReady() {
        return ready;
    }

    void connect(InetSocketAddress server, int receiveBuffer) {
        this.server = server;
        this.receiveBuffer = receiveBuffer;
        closingByUs = false;
        ready = false;
        pending = null;
        out = null;
        fragments = null;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (receiveBuffer > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
            }
            if (spec.source() != null) {
                channel.bind(new InetSocketAddress(spec.source(), 0));
            }
            state = State.CONNECTING;
            if (channel.connect(server)) {
                key = channel.register(loop.selector(), 0, this);
                connected();
            } else {
                key = channel.register(loop.selector(), SelectionKey.OP_CONNECT, this);
            }
        } catch (IOException | RuntimeException e) {
            fail("connect: " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
    }

    /** Starts a reconnect that asks for the events missed since the last one seen, expecting {@code expectedEvents}. */
    void resume(long expectedEvents) {
        reconnecting = true;
        resuming = true;
        expected = expectedEvents;
        sinceResume = 0;
        resumeStartNanos = System.nanoTime();
        connect(server, receiveBuffer);
    }

    void onConnectable() {
        try {
            if (channel.finishConnect()) {
                connected();
            }
        } catch (IOException e) {
            fail("connect: " + e.getMessage());
        }
    }

    private void connected() {
        state = State.HANDSHAKE;
        key.interestOps(SelectionKey.OP_READ);
        send(WsFrames.upgradeRequest(server.getHostString(), server.getPort(), dialect.path()));
    }

    /** Reads what is there, at most {@code budget} bytes, and handles every complete frame. */
    void onReadable(int budget) {
        ByteBuffer buf = pending != null ? pending : loop.readBuffer();
        int limit = buf.limit();
        if (budget < buf.remaining()) {
            buf.limit(buf.position() + budget);
        }
        int n;
        try {
            n = channel.read(buf);
        } catch (IOException e) {
            closed("read: " + e.getMessage());
            return;
        } finally {
            buf.limit(limit);
        }
        if (n < 0) {
            closed("eof");
            return;
        }
        buf.flip();
        if (state == State.HANDSHAKE) {
            if (!readHandshake(buf)) {
                if (state == State.HANDSHAKE) {
                    keepRest(buf, buf.remaining() + 512);
                }
                return;
            }
        }
        while (state == State.OPEN && buf.hasRemaining()) {
            int need = frame(buf);
            if (need > 0) {
                keepRest(buf, need);
                return;
            }
        }
        if (buf == pending) {
            pending = null;
        }
    }

    private void keepRest(ByteBuffer buf, int need) {
        if (buf == pending && buf.capacity() >= need) {
            buf.compact();
            return;
        }
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(need, 1024));
        bigger.put(buf);
        pending = bigger;
    }

    private boolean readHandshake(ByteBuffer buf) {
        byte[] a = buf.array();
        int from = buf.arrayOffset() + buf.position();
        int end = WsFrames.headersEnd(a, from, buf.arrayOffset() + buf.limit());
        if (end < 0) {
            return false;
        }
        String status = new String(a, from, Math.min(12, end - from), StandardCharsets.US_ASCII);
        if (!status.startsWith("HTTP/1.1 101")) {
            String head = new String(a, from, end - from, StandardCharsets.US_ASCII);
            fail("upgrade refused: " + head.lines().findFirst().orElse(""));
            return false;
        }
        buf.position(end - buf.arrayOffset());
        state = State.OPEN;
        dialect.onOpen(this);
        return true;
    }

    /** Handles one frame at the buffer's position; 0 when done, else the bytes needed to complete it. */
    private int frame(ByteBuffer buf) {
        int p = buf.position();
        int rem = buf.remaining();
        if (rem < 2) {
            return 14;
        }
        int b0 = buf.get(p) & 0xff;
        int b1 = buf.get(p + 1) & 0xff;
        long len = b1 & 0x7f;
        int header = 2;
        if (len == 126) {
            if (rem < 4) {
                return 14;
            }
            len = buf.getShort(p + 2) & 0xffff;
            header = 4;
        } else if (len == 127) {
            if (rem < 10) {
                return 14;
            }
            len = buf.getLong(p + 2);
            header = 10;
        }
        if ((b1 & 0x80) != 0) {
            header += 4; // servers must not mask; tolerated and skipped
        }
        if (len > Integer.MAX_VALUE - 64) {
            closed("frame too large");
            return 0;
        }
        if (rem < header + len) {
            return (int) (header + len);
        }
        int start = buf.arrayOffset() + p + header;
        buf.position(p + header + (int) len);
        message(b0 & 0x80, b0 & 0x0f, buf.array(), start, (int) len);
        return 0;
    }

    private void message(int fin, int opcode, byte[] a, int off, int len) {
        switch (opcode) {
            case WsFrames.OP_TEXT, WsFrames.OP_CONTINUATION -> {
                if (fin != 0 && fragments == null) {
                    dialect.onText(this, a, off, len);
                    return;
                }
                if (fragments == null) {
                    fragments = new ByteArrayOutputStream(len * 2);
                }
                fragments.write(a, off, len);
                if (fin != 0) {
                    byte[] whole = fragments.toByteArray();
                    fragments = null;
                    dialect.onText(this, whole, 0, whole.length);
                }
            }
            case WsFrames.OP_PING -> {
                byte[] payload = new byte[len];
                System.arraycopy(a, off, payload, 0, len);
                send(WsFrames.frame(WsFrames.OP_PONG, payload));
            }
            case WsFrames.OP_CLOSE -> {
                int code = len >= 2 ? ((a[off] & 0xff) << 8) | (a[off + 1] & 0xff) : 1005;
                closed("closed by server " + code);
            }
            default -> { } // binary and pong frames carry nothing the benchmark reads
        }
    }

    /** Queues a frame (or the upgrade request); writes at once when nothing is waiting. */
    public void send(ByteBuffer frame) {
        if (state == State.CLOSED || state == State.IDLE) {
            return;
        }
        if (out == null || out.isEmpty()) {
            try {
                channel.write(frame);
            } catch (IOException e) {
                closed("write: " + e.getMessage());
                return;
            }
            if (!frame.hasRemaining()) {
                return;
            }
            if (out == null) {
                out = new ArrayDeque<>(4);
            }
        }
        out.add(frame);
        key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
    }

    void onWritable() {
        try {
            while (out != null && !out.isEmpty()) {
                ByteBuffer b = out.peek();
                channel.write(b);
                if (b.hasRemaining()) {
                    return;
                }
                out.poll();
            }
            key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
        } catch (IOException e) {
            closed("write: " + e.getMessage());
        }
    }

    // ---- called by dialects

    void ready(boolean recovered) {
        if (ready) {
            return;
        }
        ready = true;
        listener.onReady(this);
        if (reconnecting && !recovered) {
            listener.onNotRecovered(this);
        }
        reconnecting = false;
        if (resuming && expected <= 0) {
            caughtUp();
        }
    }

    void event(long offset, long stampMicros) {
        events++;
        if (offset >= 0) {
            if (offset <= lastOffset) {
                listener.onDuplicate(this);
            }
            lastOffset = offset;
        }
        listener.onEvent(this, offset, stampMicros);
        if (resuming && ++sinceResume == expected) {
            caughtUp();
        }
    }

    private void caughtUp() {
        resuming = false;
        listener.onCaughtUp(this, (System.nanoTime() - resumeStartNanos) / 1_000);
    }

    void fail(String reason) {
        boolean wasReady = ready;
        shut();
        if (wasReady) {
            listener.onClosed(this, reason, false);
        } else {
            listener.onFailed(this, reason);
        }
    }

    /** Stops reading: a stalled client leaves everything in the kernel's buffers. */
    void stopReading() {
        if (key != null && key.isValid()) {
            key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        }
    }

    /** Closes the socket abruptly, as a dropped network would; the server may keep a session to resume. */
    void closeByUs() {
        closingByUs = true;
        closed("closed by benchmark");
    }

    private void closed(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        if (!ready) {
            fail(reason);
            return;
        }
        shut();
        listener.onClosed(this, reason, closingByUs);
    }

    private void shut() {
        state = State.CLOSED;
        ready = false;
        pending = null;
        out = null;
        fragments = null;
        if (key != null) {
            key.cancel();
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the socket is gone either way
            }
        }
    }
}
