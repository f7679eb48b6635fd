package io.roomcast.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A bare WebSocket client that writes frames byte by byte, for feeding the edge what no proper
 * client library would send (invalid UTF-8, oversized frames).
 */
final class RawSocket implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawSocket(String wsUrl) throws IOException {
        this(wsUrl, new byte[0]);
    }

    /** Connects, sending {@code early} (client frames) in the same write as the handshake request. */
    RawSocket(String wsUrl, byte[] early) throws IOException {
        URI uri = URI.create(wsUrl);
        socket = new Socket(uri.getHost(), uri.getPort());
        socket.setSoTimeout(30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        String key = Base64.getEncoder().encodeToString("roomcast-test-key".getBytes(StandardCharsets.US_ASCII)).substring(0, 22) + "==";
        out.write(("GET " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(early);
        out.flush();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed during handshake: " + head);
            }
            head.write(b);
        }
        if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
            throw new IOException("handshake refused: " + head);
        }
    }

    /** Sends one final masked frame with the given opcode and payload. */
    void frame(int opcode, byte[] payload) throws IOException {
        frame(true, opcode, payload);
    }

    /** Sends one masked frame; {@code fin} false leaves its message open for continuation frames (opcode 0). */
    void frame(boolean fin, int opcode, byte[] payload) throws IOException {
        out.write(masked(fin, opcode, payload));
        out.flush();
    }

    /** The bytes of one masked client frame. */
    static byte[] masked(boolean fin, int opcode, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            f.write(0x80 | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length & 0xff);
        } else {
            f.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) payload.length >>> (8 * i)) & 0xff);
            }
        }
        byte[] mask = {1, 2, 3, 4};
        f.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i % 4]);
        }
        return f.toByteArray();
    }

    /** One frame from the edge: its opcode and payload. */
    record Frame(int opcode, byte[] payload) {
    }

    /** Reads the next frame, or null if the connection ended. */
    Frame next() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = in.read();
        if ((b1 & 0x80) != 0) {
            throw new IOException("a server frame must not be masked");
        }
        long len = b1 & 0x7f;
        if (len == 126) {
            len = (in.read() << 8) | in.read();
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | in.read();
            }
        }
        return new Frame(b0 & 0x0f, in.readNBytes((int) len));
    }

    /** Reads frames until a close frame and returns its status code (-1 if the connection just ended). */
    int awaitCloseCode() throws IOException {
        Frame f;
        while ((f = next()) != null) {
            if (f.opcode() == 0x8) {
                byte[] p = f.payload();
                return p.length >= 2 ? ((p[0] & 0xff) << 8) | (p[1] & 0xff) : 1005;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
