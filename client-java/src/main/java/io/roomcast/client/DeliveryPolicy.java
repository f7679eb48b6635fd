package io.roomcast.client;

/**
 * The backpressure policy a subscription asks the edge for (the subscribe frame's {@code policy}), overriding the
 * namespace's. Only live delivery is affected; history is always delivered losslessly.
 */
public enum DeliveryPolicy {
    /** Live delivery pauses for a slow client, which is caught up later; nothing is lost. */
    LOSSLESS("lossless"),
    /** The newest events wait in a bounded window; older ones are dropped and reported through {@code onGap}. */
    DROP_OLDEST("drop-oldest"),
    /** Only the newest pending event is kept (conflation); the rest are reported through {@code onGap}. */
    LATEST_ONLY("latest-only");

    private final String wireName;

    DeliveryPolicy(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
