package io.roomcast.client;

/**
 * The life of a {@link RoomcastClient}:
 * {@code CONNECTING -> OPEN <-> RECONNECTING}, and from any of them {@code -> CLOSED}, which is final.
 * {@code CONNECTING} lasts until the first connection opens (failed first attempts are retried with backoff and stay
 * {@code CONNECTING}); {@code RECONNECTING} covers every wait and attempt after an open connection was lost.
 */
public enum ConnectionState {
    CONNECTING,
    OPEN,
    RECONNECTING,
    CLOSED
}
