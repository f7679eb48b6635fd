package io.roomcast.bench.fuzz;

/**
 * One raw WebSocket frame as a client would put it on the wire (masking is added when sent).
 *
 * @param opcode  0 continuation, 1 text, 2 binary, 8 close, 9 ping, 10 pong, or a reserved one
 * @param fin     whether this is the last frame of a message
 * @param payload the unmasked payload
 */
public record FuzzFrame(int opcode, boolean fin, byte[] payload) {
    public static final int CONTINUATION = 0;
    public static final int TEXT = 1;
    public static final int BINARY = 2;
    public static final int CLOSE = 8;
    public static final int PING = 9;
    public static final int PONG = 10;

    public static FuzzFrame text(byte[] payload) {
        return new FuzzFrame(TEXT, true, payload);
    }
}
