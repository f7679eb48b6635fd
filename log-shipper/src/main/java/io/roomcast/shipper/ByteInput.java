package io.roomcast.shipper;

import java.io.Closeable;
import java.io.IOException;

/**
 * Bytes a {@link Tail} reads at explicit positions, so that it can go back to any shipped
 * position after a failed send: an open file, or the retained part of stdin.
 * Used by the shipper thread only, unless an implementation says otherwise.
 */
interface ByteInput extends Closeable {
    /**
     * Reads up to {@code length} bytes at {@code position} into {@code target}.
     *
     * @return the number of bytes read; 0 when none are available at that position yet
     */
    int read(long position, byte[] target, int length) throws IOException;

    /** The fingerprint of the first bytes up to {@code upTo}, or {@code null} where that has no meaning. */
    HeadFingerprint head(long upTo) throws IOException;

    /** Everything before {@code position} has been acknowledged by Kafka and will not be read again. */
    default void acknowledged(long position) {
    }
}
