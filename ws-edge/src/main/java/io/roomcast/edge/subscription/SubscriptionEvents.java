package io.roomcast.edge.subscription;

/**
 * What a subscription reports to its owner (the session) and to metrics. Called on the thread
 * where it happens, never under the subscription's lock except for {@link #lagging}; must not block.
 */
public interface SubscriptionEvents {
    void subscribed(Subscription s);

    /** {@code count} history events delivered, from the edge's cache or from Kafka. */
    void replayed(int count, boolean fromCache);

    /** A live event was handed to the connection. */
    void deliveredLive(io.roomcast.event.RoomEvent event);

    /** Drop policies: {@code count} live events were dropped for a slow client. */
    void dropped(int count);

    /** Live delivery stopped because the client is slow; it will catch up at its own pace. */
    void lagging(Subscription s);

    /** The hand-over buffer overflowed during a catch-up; history is read further. */
    void handoverOverflowed(Subscription s);

    /** The subscription cannot continue (Kafka unreachable for too long); it is closed. */
    void failed(Subscription s, Throwable cause);
}
