package io.roomcast.room;

/**
 * What an edge does when a subscriber cannot take live events as fast as they come.
 */
public enum BackpressurePolicy {
    /** Stop live delivery and catch the subscriber up from history at its own pace: nothing is lost. */
    LOSSLESS("lossless"),
    /** Keep a bounded window of the newest pending events, dropping the oldest; the client is told what it missed. */
    DROP_OLDEST("drop-oldest"),
    /** Keep only the newest pending event (conflation); the client is told what it missed. */
    LATEST_ONLY("latest-only");

    private final String wire;

    BackpressurePolicy(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The policy named {@code wire} ({@code lossless}, {@code drop-oldest}, {@code latest-only}). */
    public static BackpressurePolicy fromWire(String wire) {
        for (BackpressurePolicy p : values()) {
            if (p.wire.equals(wire)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown backpressure policy \"" + wire + "\": use lossless, drop-oldest or latest-only");
    }
}
