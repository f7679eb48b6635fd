package io.roomcast.client;

/**
 * Spaces one connection's publish requests so that no second holds more of them than the edge takes: an edge refuses
 * publishes beyond its {@code publishesPerSecond} (100 by default) in each one-second window with {@code rate_limited},
 * and closes a connection refused 100 times with 4029. A queue of publishes made while disconnected would otherwise
 * arrive all at once when the connection opens. At most {@code limit} sends in any {@link #WINDOW_MILLIS} (a sliding
 * window, so also in every window of the edge's, with room for the network's jitter). Owned by the client's loop.
 */
final class PublishPacer {
    /** The edge's one-second window, and 50 ms for sends that reach it closer together than they left. */
    static final long WINDOW_MILLIS = 1_050;

    /** The times of the last {@code limit} sends, oldest at {@code next} once full. */
    private final long[] sentAt;
    private int next;
    private int count;

    /** @param limit sends per window, at least 1 */
    PublishPacer(int limit) {
        this.sentAt = new long[limit];
    }

    /** Milliseconds until the next send may go; 0 for now. */
    long waitMillis(long nowMillis) {
        if (count < sentAt.length) {
            return 0;
        }
        return Math.max(0, sentAt[next] + WINDOW_MILLIS - nowMillis);
    }

    /** Counts a send made at {@code nowMillis}. */
    void sent(long nowMillis) {
        sentAt[next] = nowMillis;
        next = (next + 1) % sentAt.length;
        count = Math.min(count + 1, sentAt.length);
    }

    /** A new connection: the edge counts its publishes afresh. */
    void reset() {
        next = 0;
        count = 0;
    }
}
