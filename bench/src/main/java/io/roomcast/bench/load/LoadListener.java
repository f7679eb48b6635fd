package io.roomcast.bench.load;

/** What a {@link LoadGroup} learns from its connections; called on loop threads. */
interface LoadListener {
    /** Subscribed (or resumed) and receiving. */
    void onReady(WsConnection c);

    /** Could not connect, upgrade or subscribe. */
    void onFailed(WsConnection c, String reason);

    /** The connection ended after it was ready; {@code byUs} when the benchmark closed it. */
    void onClosed(WsConnection c, String reason, boolean byUs);

    /** An event arrived; {@code stampMicros} is its publish time, or -1 when it carried none. */
    void onEvent(WsConnection c, long offset, long stampMicros);

    /** An event arrived whose offset is not above the last one seen: a duplicate or out of order. */
    void onDuplicate(WsConnection c);

    /** A resuming client has received every event it expected. */
    void onCaughtUp(WsConnection c, long micros);

    /** A resume came back without the missed events (a gap, or no recovery). */
    void onNotRecovered(WsConnection c);
}
