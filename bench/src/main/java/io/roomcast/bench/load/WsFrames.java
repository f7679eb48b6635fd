package io.roomcast.bench.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/** Client-side WebSocket framing (RFC 6455): masked text, pong and close frames, and the upgrade request. */
public final class WsFrames {
    public static final int OP_CONTINUATION = 0x0;
    public static final int OP_TEXT = 0x1;
    public static final int OP_BINARY = 0x2;
    public static final int OP_CLOSE = 0x8;
    public static final int OP_PING = 0x9;
    public static final int OP_PONG = 0xA;
    private static final SecureRandom KEYS = new SecureRandom();

    private WsFrames() {
    }

    public static ByteBuffer text(String payload) {
        return frame(OP_TEXT, payload.getBytes(StandardCharsets.UTF_8));
    }

    public static ByteBuffer text(byte[] payload) {
        return frame(OP_TEXT, payload);
    }

    /** One final, masked frame; clients must mask every frame they send. */
    public static ByteBuffer frame(int opcode, byte[] payload) {
        int len = payload.length;
        int header = len < 126 ? 2 : len <= 0xffff ? 4 : 10;
        ByteBuffer b = ByteBuffer.allocate(header + 4 + len);
        b.put((byte) (0x80 | opcode));
        if (len < 126) {
            b.put((byte) (0x80 | len));
        } else if (len <= 0xffff) {
            b.put((byte) (0x80 | 126));
            b.putShort((short) len);
        } else {
            b.put((byte) (0x80 | 127));
            b.putLong(len);
        }
        int mask = ThreadLocalRandom.current().nextInt();
        b.putInt(mask);
        byte[] m = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
        for (int i = 0; i < len; i++) {
            b.put((byte) (payload[i] ^ m[i & 3]));
        }
        return b.flip();
    }

    public static ByteBuffer upgradeRequest(String host, int port, String path) {
        byte[] key = new byte[16];
        KEYS.nextBytes(key);
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + host + ":" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        return ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
    }

    /** Index just past the blank line ending HTTP headers in {@code b[from, to)}, or -1. */
    public static int headersEnd(byte[] b, int from, int to) {
        for (int i = from; i + 3 < to; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }
}
