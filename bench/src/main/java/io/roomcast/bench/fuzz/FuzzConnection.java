package io.roomcast.bench.fuzz;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bare WebSocket connection that sends whatever frames it is given, and a reader thread that
 * tallies the edge's error frames and how the connection ended. One sending thread.
 */
final class FuzzConnection implements AutoCloseable {
    private static final Pattern ERROR_CODE = Pattern.compile("\"op\":\"error\".*?\"code\":\"([a-z_]{1,40})\"");

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final FuzzTally tally;
    private final Thread reader;
    private volatile boolean ended;

    /** @throws IOException when the edge refuses the handshake (tallied as {@code refused:STATUS}) or cannot be reached */
    FuzzConnection(URI ws, FuzzTally tally) throws IOException {
        this.tally = tally;
        this.socket = new Socket(ws.getHost(), ws.getPort());
        socket.setSoTimeout(120_000);
        socket.setTcpNoDelay(true);
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        in = new DataInputStream(socket.getInputStream());
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        out.write(("GET " + ws.getRawPath() + " HTTP/1.1\r\nHost: " + ws.getHost() + ":" + ws.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0 || head.size() > 16 * 1024) {
                socket.close();
                throw new IOException("connection ended during the handshake");
            }
            head.write(b);
        }
        String status = head.toString(StandardCharsets.US_ASCII);
        if (!status.startsWith("HTTP/1.1 101")) {
            socket.close();
            tally.closed("refused:" + status.substring(9, Math.min(12, status.length())));
            throw new IOException("handshake refused: " + status.lines().findFirst().orElse(""));
        }
        reader = new Thread(this::read, "fuzz-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Sends the frames of one case; false once the connection has ended. */
    boolean send(Iterable<FuzzFrame> frames) {
        if (ended) {
            return false;
        }
        try {
            for (FuzzFrame f : frames) {
                write(f);
            }
            out.flush();
            return true;
        } catch (IOException e) {
            ended = true;
            return false;
        }
    }

    boolean ended() {
        return ended;
    }

    private void write(FuzzFrame f) throws IOException {
        byte[] p = f.payload();
        out.write((f.fin() ? 0x80 : 0) | (f.opcode() & 0x0f));
        if (p.length < 126) {
            out.write(0x80 | p.length);
        } else if (p.length < 65536) {
            out.write(0x80 | 126);
            out.write(p.length >>> 8);
            out.write(p.length & 0xff);
        } else {
            out.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) ((long) p.length >>> (8 * i)) & 0xff);
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        out.write(mask);
        byte[] masked = new byte[p.length];
        for (int i = 0; i < p.length; i++) {
            masked[i] = (byte) (p[i] ^ mask[i & 3]);
        }
        out.write(masked);
    }

    private void read() {
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
                if (len > 64L * 1024 * 1024) {
                    tally.failure("server frame longer than 64 MiB");
                    break;
                }
                byte[] payload = new byte[(int) len];
                in.readFully(payload);
                int opcode = b0 & 0x0f;
                if (opcode == FuzzFrame.CLOSE) {
                    tally.closed(payload.length >= 2 ? Integer.toString(((payload[0] & 0xff) << 8) | (payload[1] & 0xff)) : "1005");
                    ended = true;
                    return;
                }
                if (opcode == FuzzFrame.TEXT && payload.length < 4096) {
                    Matcher m = ERROR_CODE.matcher(new String(payload, StandardCharsets.UTF_8));
                    if (m.find()) {
                        tally.error(m.group(1));
                    }
                }
            }
        } catch (IOException e) {
            // the edge ended the connection without a close frame (or we closed it)
        }
        if (!ended) {
            ended = true;
            tally.closed("eof");
        }
    }

    @Override
    public void close() {
        ended = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }
}
