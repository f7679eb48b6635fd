package io.roomcast.shipper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32;

/**
 * A CRC-32 of a file's first bytes (at most {@value #MAX_LENGTH}). Shipped with every record
 * (header {@code head}) so that a restarted shipper can tell a file it has shipped from a file
 * that was truncated and rewritten, or a new file that reuses a deleted file's inode.
 *
 * @param length how many leading bytes were summed
 * @param crc    their CRC-32
 */
record HeadFingerprint(int length, long crc) {
    static final int MAX_LENGTH = 1024;

    /** The fingerprint of the first {@code min(upTo, MAX_LENGTH)} bytes, or {@code null} if the file is shorter. */
    static HeadFingerprint read(FileChannel channel, long upTo) throws IOException {
        int length = (int) Math.min(upTo, MAX_LENGTH);
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, buffer.position()) < 0) {
                return null;
            }
        }
        CRC32 crc = new CRC32();
        crc.update(buffer.flip());
        return new HeadFingerprint(length, crc.getValue());
    }

    /** Whether {@code channel}'s file still starts with the bytes this fingerprint was taken of. */
    boolean matches(FileChannel channel) throws IOException {
        return equals(read(channel, length));
    }

    /** The header text, {@code length:crc} in hexadecimal. */
    String header() {
        return length + ":" + Long.toHexString(crc);
    }

    /** Parses {@link #header()}; {@code null} for anything malformed. */
    static HeadFingerprint parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        try {
            int length = Integer.parseInt(text.substring(0, colon));
            long crc = Long.parseLong(text.substring(colon + 1), 16);
            return length >= 0 && length <= MAX_LENGTH ? new HeadFingerprint(length, crc) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
