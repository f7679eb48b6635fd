package io.roomcast.bench.load;

/**
 * The application protocol a simulated client speaks over its WebSocket: Roomcast frames (also
 * spoken by the plain {@code ws} and Bun peers' adapters) or Socket.IO. Stateless; the state lives
 * in the {@link WsConnection}. Called on the connection's loop thread only.
 */
public interface Dialect {
    /** Request path of the WebSocket upgrade. */
    String path();

    /** The upgrade succeeded: subscribe (or resume), or wait for the server's greeting. */
    void onOpen(WsConnection c);

    /** One complete text message {@code b[off, off+len)}. */
    void onText(WsConnection c, byte[] b, int off, int len);

    /** Whether a reconnecting client can ask for what it missed. */
    boolean canResume();

    static Dialect named(String name) {
        return switch (name) {
            case "roomcast" -> RoomcastDialect.INSTANCE;
            case "socketio" -> SocketIoDialect.INSTANCE;
            default -> throw new IllegalArgumentException("unknown dialect " + name);
        };
    }
}
