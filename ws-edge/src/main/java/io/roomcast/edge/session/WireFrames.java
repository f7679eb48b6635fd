package io.roomcast.edge.session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The server side of RFC 6455 framing: a final, unmasked frame is one opcode byte, a length in 1,
 * 3 or 9 bytes and the payload. Server frames carry no mask, so the same payload bytes serve every
 * connection and only these few header bytes are written per connection.
 */
final class WireFrames {
    static final byte TEXT = 0x1;
    static final byte CLOSE = 0x8;
    static final byte PING = 0x9;
    static final byte PONG = 0xA;
    /** The longest header: opcode, 127 and an 8-byte length. */
    static final int MAX_HEADER = 10;
    private static final int FIN = 0x80;

    private WireFrames() {
    }

    /** Bytes of the header of a frame whose payload is {@code length} bytes. */
    static int headerLength(int length) {
        return length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    }

    /**
     * The payload of a close frame: the code and as much of {@code reason} as fits a control frame
     * (123 bytes of UTF-8, cut between characters); empty when {@code code} is -1 (no code).
     */
    static ByteBuffer closePayload(int code, String reason) {
        if (code < 0) {
            return ByteBuffer.allocate(0);
        }
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(text.length, FrameReader.MAX_CONTROL_PAYLOAD - 2);
        while (length < text.length && length > 0 && (text[length] & 0xC0) == 0x80) {
            length--; // do not cut a character in two
        }
        ByteBuffer payload = ByteBuffer.allocate(2 + length);
        payload.putShort((short) code).put(text, 0, length);
        return payload.flip();
    }

    /** Writes the header of a final frame of {@code opcode} with a {@code length}-byte payload. */
    static void putHeader(ByteBuffer dst, byte opcode, int length) {
        dst.put((byte) (FIN | opcode));
        if (length < 126) {
            dst.put((byte) length);
        } else if (length <= 0xFFFF) {
            dst.put((byte) 126);
            dst.putShort((short) length);
        } else {
            dst.put((byte) 127);
            dst.putLong(length);
        }
    }
}
