package io.roomcast.shipper;

/**
 * One log record as assembled from lines, before parsing.
 *
 * @param text        the lines joined with {@code \n}
 * @param start       the byte position of its first byte
 * @param end         the byte position after its last line (the resume position)
 * @param firstLineNo the 1-based number of its first line, or 0 when unknown
 * @param lastLineNo  the number of its last line, or 0 when unknown
 * @param malformed   invalid UTF-8 sequences replaced in it
 * @param truncated   whether any of its lines was cut
 */
record RawRecord(String text, long start, long end, long firstLineNo, long lastLineNo, int malformed, boolean truncated) {
}
