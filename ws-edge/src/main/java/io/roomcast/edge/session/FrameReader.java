package io.roomcast.edge.session;

import io.roomcast.edge.protocol.CloseCode;
import io.roomcast.edge.protocol.Utf8;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The client side of RFC 6455 framing, decoded for one connection: whole text messages (fragments
 * joined, at most {@code maxMessageBytes}, strictly UTF-8), pings, pongs and the close frame. The
 * first violation ends the reading with the close code the protocol gives it (docs/protocol.md):
 * 1002 for a broken frame (reserved bits without an extension, an unmasked frame, an unknown
 * opcode, a fragmented or long control frame, a continuation out of place, an invalid close code),
 * 1003 for a binary frame (refused at its header, never buffered), 1007 for text or a close reason
 * that is not UTF-8, 1009 for a message above the limit (refused at its header). Nothing is read
 * after a close frame or a violation.
 *
 * <p>An idle connection holds no buffer here: the bytes of a frame cut by a read, and the fragments
 * of an unfinished message, are kept only until they are complete, bounded by the limit.
 *
 * <p>Not thread-safe: one per connection, used by its IO thread. Pure: no IO.
 */
final class FrameReader {
    /** What the frames say, in the order they came. Called on the reading thread. */
    interface Frames {
        void text(String message);

        /** {@code payload}: the ping's application data, at most 125 bytes, owned by the callee. */
        void ping(ByteBuffer payload);

        void pong();

        /** {@code code} is -1 when the close frame carried none. Nothing is read after it. */
        void close(int code, String reason);

        /** The client broke the protocol: close with {@code code}. Nothing is read after it. */
        void failed(CloseCode code, String why);
    }

    static final int MAX_CONTROL_PAYLOAD = 125;
    private static final int CONTINUATION = 0x0;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    private final int maxMessageBytes;
    /** The start of a frame that the last read cut short; null when none. */
    private byte[] partial;
    /** The unmasked fragments of an unfinished text message; null outside one. */
    private byte[] message;
    private int messageLength;
    private boolean inMessage;
    private boolean finished;

    FrameReader(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** True once a close frame or a violation was read: nothing more will be. */
    boolean finished() {
        return finished;
    }

    /** Decodes the bytes {@code in} holds (all of them are consumed) and reports the frames they complete. */
    void read(ByteBuffer in, Frames out) {
        if (finished) {
            in.position(in.limit());
            return;
        }
        ByteBuffer src = in;
        if (partial != null) {
            byte[] joined = Arrays.copyOf(partial, partial.length + in.remaining());
            in.get(joined, partial.length, in.remaining());
            partial = null;
            src = ByteBuffer.wrap(joined);
        }
        while (!finished && src.hasRemaining()) {
            if (!frame(src, out)) {
                partial = new byte[src.remaining()];
                src.get(partial);
            }
        }
        src.position(src.limit());
    }

    /** Decodes one frame at {@code src}'s position; false (nothing consumed) when it is not all there yet. */
    private boolean frame(ByteBuffer src, Frames out) {
        int at = src.position();
        int available = src.remaining();
        if (available < 2) {
            return false;
        }
        int b0 = src.get(at) & 0xFF;
        int b1 = src.get(at + 1) & 0xFF;
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0F;
        int length7 = b1 & 0x7F;
        boolean control = opcode >= CLOSE;
        if ((b0 & 0x70) != 0) {
            return fail(out, CloseCode.PROTOCOL_ERROR, "reserved bits set, and no extension was agreed");
        }
        if (opcode != CONTINUATION && opcode != TEXT && opcode != BINARY && opcode != CLOSE && opcode != PING && opcode != PONG) {
            return fail(out, CloseCode.PROTOCOL_ERROR, "unknown opcode " + opcode);
        }
        if ((b1 & 0x80) == 0) {
            return fail(out, CloseCode.PROTOCOL_ERROR, "a client's frames must be masked");
        }
        if (control && (!fin || length7 > MAX_CONTROL_PAYLOAD)) {
            return fail(out, CloseCode.PROTOCOL_ERROR, "a control frame must be final and carry at most 125 bytes");
        }
        if (opcode == CONTINUATION && !inMessage) {
            return fail(out, CloseCode.PROTOCOL_ERROR, "a continuation frame outside a fragmented message");
        }
        if ((opcode == TEXT || opcode == BINARY) && inMessage) {
            return fail(out, CloseCode.PROTOCOL_ERROR, "a new message inside a fragmented one");
        }
        if (opcode == BINARY) {
            return fail(out, CloseCode.UNSUPPORTED_DATA, CloseCode.UNSUPPORTED_DATA.reason());
        }
        int header = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + 4;
        if (available < header) {
            return false;
        }
        long length = length7 < 126 ? length7 : length7 == 126 ? src.getShort(at + 2) & 0xFFFF : src.getLong(at + 2);
        if (length < 0) {
            return fail(out, CloseCode.PROTOCOL_ERROR, "a payload length with its most significant bit set");
        }
        if (!control && messageLength + length > maxMessageBytes) {
            return fail(out, CloseCode.TOO_BIG, "a message above " + maxMessageBytes + " bytes");
        }
        if (available - header < length) {
            return false;
        }
        int n = (int) length;
        byte[] payload = unmasked(src, at + header, n, at + header - 4);
        src.position(at + header + n);
        switch (opcode) {
            case PING -> out.ping(ByteBuffer.wrap(payload));
            case PONG -> out.pong();
            case CLOSE -> closeFrame(payload, out);
            default -> textFrame(fin, payload, out);
        }
        return true;
    }

    private void textFrame(boolean fin, byte[] payload, Frames out) {
        if (fin && !inMessage) {
            text(payload, payload.length, out);
            return;
        }
        if (message == null) {
            message = new byte[Math.min(maxMessageBytes, Math.max(256, payload.length * 2))];
        } else if (messageLength + payload.length > message.length) {
            message = Arrays.copyOf(message, Math.min(maxMessageBytes, Math.max(messageLength + payload.length, message.length * 2)));
        }
        System.arraycopy(payload, 0, message, messageLength, payload.length);
        messageLength += payload.length;
        inMessage = !fin;
        if (fin) {
            byte[] whole = message;
            int wholeLength = messageLength;
            message = null;
            messageLength = 0;
            text(whole, wholeLength, out);
        }
    }

    private void text(byte[] bytes, int length, Frames out) {
        if (!Utf8.valid(bytes, 0, length)) {
            fail(out, CloseCode.INVALID_PAYLOAD, "a text message that is not valid UTF-8");
            return;
        }
        out.text(new String(bytes, 0, length, StandardCharsets.UTF_8));
    }

    private void closeFrame(byte[] payload, Frames out) {
        if (payload.length == 0) {
            finished = true;
            out.close(-1, "");
            return;
        }
        int code = payload.length < 2 ? -1 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        if (!validCloseCode(code)) {
            fail(out, CloseCode.PROTOCOL_ERROR, "a close frame with an invalid code");
            return;
        }
        if (!Utf8.valid(payload, 2, payload.length - 2)) {
            fail(out, CloseCode.INVALID_PAYLOAD, "a close reason that is not valid UTF-8");
            return;
        }
        finished = true;
        out.close(code, new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
    }

    /**
     * The codes an endpoint may send: RFC 6455's (section 7.4), the three IANA registered since (1012 service restart,
     * 1013 try again later, 1014 bad gateway; `ws` and browsers send them), and 3000–4999 for libraries and applications.
     */
    static boolean validCloseCode(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    private static byte[] unmasked(ByteBuffer src, int from, int length, int maskAt) {
        byte[] bytes = new byte[length];
        src.get(from, bytes);
        byte[] mask = new byte[4];
        src.get(maskAt, mask);
        for (int i = 0; i < length; i++) {
            bytes[i] ^= mask[i & 3];
        }
        return bytes;
    }

    private boolean fail(Frames out, CloseCode code, String why) {
        finished = true;
        message = null;
        partial = null;
        out.failed(code, why);
        return true;
    }
}
