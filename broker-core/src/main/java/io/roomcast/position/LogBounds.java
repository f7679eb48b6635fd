package io.roomcast.position;

/**
 * What Kafka holds of a room's partition at one instant.
 *
 * @param logStart the first retained offset
 * @param handover the offset from which live dispatch takes over (everything below it is history)
 */
public record LogBounds(long logStart, long handover) {
    public LogBounds {
        if (logStart < 0 || handover < logStart) {
            throw new IllegalArgumentException("bounds must satisfy 0 <= logStart <= handover: " + logStart + ", " + handover);
        }
    }
}
