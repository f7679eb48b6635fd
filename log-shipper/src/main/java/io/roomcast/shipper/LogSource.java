package io.roomcast.shipper;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * One configured source of log records (a file pattern or stdin) shipping into one room.
 * Driven by the shipper thread only.
 */
interface LogSource extends AutoCloseable {
    SourceConfig config();

    /** Lists the inputs present now; their shipped positions are looked up before {@link #start}. */
    Set<FileIdentity> discover();

    /** Opens the inputs found by {@link #discover()}, each at its shipped position (or the start policy's). */
    void start(Map<FileIdentity, ShippedPosition> shipped, long nowNanos);

    /** Looks for new, rotated, truncated and vanished inputs. */
    void rescan(long nowNanos, Tail.RecordSink sink);

    /**
     * Reads what is new while the window has room and ships what is complete.
     *
     * @return whether any bytes were read
     */
    boolean poll(long nowNanos, byte[] scratch, InFlightWindow window, Tail.RecordSink sink);

    /** The inputs followed now. */
    Collection<Tail> tails();

    /** Moves every input back to its position in Kafka after a failed send; absent ones to where they started. */
    void resync(Map<FileIdentity, ShippedPosition> shipped);

    /** Whether the source has ended for good and everything it read is acknowledged (stdin at EOF). */
    boolean finished();

    @Override
    void close();
}
