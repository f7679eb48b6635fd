package io.roomcast.shipper;

import java.time.Instant;

/**
 * What a {@link LogLineParser} recognised in a record; every field may be {@code null}.
 *
 * @param time   when the record says it happened
 * @param level  the normalised level name
 * @param logger the logger, syslog tag or application name
 * @param thread the thread name
 */
record ParsedLine(Instant time, String level, String logger, String thread) {
    static final ParsedLine NOTHING = new ParsedLine(null, null, null, null);
}
