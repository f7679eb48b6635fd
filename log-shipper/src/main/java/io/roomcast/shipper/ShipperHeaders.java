package io.roomcast.shipper;

/**
 * The Kafka record headers the shipper writes on every record besides broker-core's
 * {@code type} ({@link io.roomcast.event.RecordLayout}): they keep the read position with the
 * data, so that a restarted shipper finds where it stands by reading its latest records back
 * (see docs/log-shipper.md).
 */
final class ShipperHeaders {
    /** The shipper's host name, which scopes {@link #SOURCE}. */
    static final String HOST = "host";
    /** The input's identity: {@code dev:ino} of the file, or {@code stdin:<session>}. */
    static final String SOURCE = "src";
    /** The byte position after this record in its input, in decimal. */
    static final String POSITION = "pos";
    /** The number of the record's last line, in decimal (absent when unknown). */
    static final String LINE_NO = "ln";
    /** The input's head fingerprint, {@code length:crc32hex} (absent for stdin). */
    static final String HEAD = "head";

    /** HMAC-SHA256 of the room key and the headers above, in hex, when the shipper has a {@link PositionKey}. */
    static final String SIGNATURE = "sig";

    private ShipperHeaders() {
    }
}
