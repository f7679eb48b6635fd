package io.roomcast.position;

/** Where a subscription starts reading its room. */
public sealed interface StartPoint {
    int MAX_LAST = 10_000;
    /**
     * The largest offset or time a client may name: 2^53 - 1, the largest integer a JavaScript
     * client represents exactly. Larger values are refused as out of range, so no arithmetic on a
     * position can overflow.
     */
    long MAX_POSITION = (1L << 53) - 1;

    /** Only events published after the subscription took effect. */
    record Latest() implements StartPoint {
    }

    /** Every retained event. */
    record Earliest() implements StartPoint {
    }

    /** Exactly the events with offset greater than {@code offset}, if {@code epoch} is still current. */
    record After(long offset, Epoch epoch) implements StartPoint {
        public After {
            if (offset < -1 || offset > MAX_POSITION) {
                throw new IllegalArgumentException("after must be -1.." + MAX_POSITION + ", was " + offset);
            }
            java.util.Objects.requireNonNull(epoch, "epoch");
        }
    }

    /** The last {@code count} events. */
    record Last(int count) implements StartPoint {
        public Last {
            if (count < 1 || count > MAX_LAST) {
                throw new IllegalArgumentException("last must be 1.." + MAX_LAST + ", was " + count);
            }
        }
    }

    /** The events from the first one whose timestamp is at or after {@code timestamp} ms. */
    record Time(long timestamp) implements StartPoint {
        public Time {
            if (timestamp < 0 || timestamp > MAX_POSITION) {
                throw new IllegalArgumentException("time must be 0.." + MAX_POSITION + ", was " + timestamp);
            }
        }
    }

    Latest LATEST = new Latest();
    Earliest EARLIEST = new Earliest();

    /** Whether the client asked for history (and so gets a {@code recovered} answer). */
    default boolean wantsHistory() {
        return !(this instanceof Latest);
    }
}
