package io.roomcast.shipper;

/**
 * Where shipping of one input stands according to the records in Kafka: the headers of the
 * latest record (by offset) of that input.
 *
 * @param position the byte position after that record ({@code pos} header)
 * @param lineNo   the number of its last line ({@code ln} header), 0 when unknown
 * @param head     the input's head fingerprint when it was read ({@code head} header), or {@code null}
 * @param offset   the record's Kafka offset
 */
record ShippedPosition(long position, long lineNo, HeadFingerprint head, long offset) {
}
