package io.roomcast.client;

import java.util.Objects;

/**
 * Where a subscription starts: the {@code from} of the protocol's {@code subscribe}. After the first connection the
 * client always resumes with {@link After} from the subscription's own position, whatever the initial {@code From}.
 */
public sealed interface From permits From.Latest, From.Earliest, From.After, From.Last, From.Time, From.Snapshot {

    /** Only events published after the subscription took effect. */
    static From latest() {
        return Latest.INSTANCE;
    }

    /** Every retained event of the room, then live. */
    static From earliest() {
        return Earliest.INSTANCE;
    }

    /** Exactly the events with offset greater than {@code offset} in {@code epoch}, then live (a resume). */
    static From after(long offset, String epoch) {
        return new After(offset, epoch);
    }

    /** The last {@code n} events (1..10000), then live. */
    static From last(int n) {
        return new Last(n);
    }

    /** The events from the first one whose timestamp is at or after {@code epochMillis}, then live. */
    static From time(long epochMillis) {
        return new Time(epochMillis);
    }

    /**
     * The room's newest snapshot ({@link SubscriptionListener#onSnapshot}), then exactly the events after it, then
     * live; a room without a usable snapshot is delivered as with {@link #earliest()}. Snapshots are written with
     * {@link SnapshotWriter}.
     */
    static From snapshot() {
        return Snapshot.INSTANCE;
    }

    /** {@code "snapshot"}. */
    enum Snapshot implements From { INSTANCE }

    /** {@code from} absent or {@code "latest"}. */
    enum Latest implements From { INSTANCE }

    /** {@code "earliest"}. */
    enum Earliest implements From { INSTANCE }

    /** {@code {"after":N,"epoch":"E"}}. */
    record After(long offset, String epoch) implements From {
        public After {
            Objects.requireNonNull(epoch, "epoch");
            if (offset < -1) {
                throw new IllegalArgumentException("offset must be >= -1: " + offset);
            }
        }
    }

    /** {@code {"last":N}}. */
    record Last(int count) implements From {
        public static final int MAX = 10_000;

        public Last {
            if (count < 1 || count > MAX) {
                throw new IllegalArgumentException("last must be 1.." + MAX + ": " + count);
            }
        }
    }

    /** {@code {"time":T}}. */
    record Time(long epochMillis) implements From {
        public Time {
            if (epochMillis < 0) {
                throw new IllegalArgumentException("time must be >= 0: " + epochMillis);
            }
        }
    }
}
