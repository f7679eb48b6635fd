package io.roomcast.bench.target;

import io.roomcast.bench.load.WsFrames;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Publishes into a peer over one WebSocket, in the peer's dialect: Roomcast {@code publish} frames
 * or Socket.IO {@code publish} events. A reader thread answers pings and sync replies.
 *
 * <p>Thread-safety: {@link #publish} and {@link #sync} from one thread at a time.
 */
public final class WsSink implements EventSink {
    private final Socket socket;
    private final OutputStream out;
    private final boolean socketIo;
    private final BlockingQueue<Boolean> synced = new ArrayBlockingQueue<>(64);
    private final Thread reader;
    private int syncId;

    public WsSink(String host, int port, boolean socketIo) {
        this.socketIo = socketIo;
        try {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            String path = socketIo ? "/socket.io/?EIO=4&transport=websocket" : "/ws";
            write(WsFrames.upgradeRequest(host, port, path));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            readHeaders(in);
            reader = new Thread(() -> read(in), "ws-sink-reader");
            reader.setDaemon(true);
            reader.start();
            if (socketIo) {
                send("40");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect the publisher to " + host + ":" + port, e);
        }
    }

    @Override
    public void publish(String room, byte[] data) {
        String roomJson = "\"" + room + "\"";
        String frame = socketIo
                ? "42[\"publish\"," + roomJson + "," + new String(data, StandardCharsets.UTF_8) + "]"
                : "{\"op\":\"publish\",\"room\":" + roomJson + ",\"data\":" + new String(data, StandardCharsets.UTF_8) + "}";
        send(frame);
    }

    @Override
    public void sync() {
        int id = ++syncId;
        send(socketIo ? "42" + id + "[\"sync\"]" : "{\"op\":\"ping\",\"id\":" + id + "}");
        try {
            if (synced.poll(60, TimeUnit.SECONDS) == null) {
                throw new IllegalStateException("the peer did not answer a sync within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void send(String text) {
        try {
            write(WsFrames.text(text));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("publisher connection lost", e);
        }
    }

    private void write(ByteBuffer b) throws IOException {
        out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
    }

    private static void readHeaders(DataInputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed during the upgrade");
            }
            head.append((char) c);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + head.toString().lines().findFirst().orElse(""));
        }
    }

    private void read(DataInputStream in) {
        try {
            while (true) {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                long len = b1 & 0x7f;
                if (len == 126) {
                    len = in.readUnsignedShort();
                } else if (len == 127) {
                    len = in.readLong();
                }
                byte[] payload = new byte[(int) len];
                in.readFully(payload);
                int opcode = b0 & 0x0f;
                if (opcode == WsFrames.OP_PING) {
                    sendFrame(WsFrames.frame(WsFrames.OP_PONG, payload));
                } else if (opcode == WsFrames.OP_TEXT) {
                    text(new String(payload, StandardCharsets.UTF_8));
                } else if (opcode == WsFrames.OP_CLOSE) {
                    return;
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void text(String t) throws IOException {
        if (socketIo && t.equals("2")) {
            send("3");
        } else if (socketIo ? t.startsWith("43") : t.contains("\"op\":\"pong\"")) {
            synced.offer(Boolean.TRUE);
        }
    }

    private synchronized void sendFrame(ByteBuffer frame) throws IOException {
        write(frame);
        out.flush();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            reader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
