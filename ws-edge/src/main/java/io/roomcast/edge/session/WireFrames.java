package io.roomcast.edge.session;

import java.nio.ByteBuffer;

/**
 * The server side of RFC 6455 framing: a final, unmasked frame is one opcode byte, a length in 1,
 * 3 or 9 bytes and the payload. Server frames carry no mask, so the same payload bytes serve every
 * connection and only these few header bytes are written per connection.
 */
final class WireFrames {
    static final byte TEXT = 0x1;
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
