package io.roomcast.bench.load;

import java.time.Instant;

/**
 * Wall-clock time in microseconds since the epoch, read cheaply from {@link System#nanoTime()}
 * after one calibration per process. Publishers stamp events with it and receivers in other
 * processes (or other languages) subtract it from their own reading, so it must be a wall clock.
 */
public final class EpochMicros {
    private static final long BASE_NANOS;
    private static final long BASE_MICROS;

    static {
        Instant now = Instant.now();
        BASE_NANOS = System.nanoTime();
        BASE_MICROS = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private EpochMicros() {
    }

    public static long now() {
        return BASE_MICROS + (System.nanoTime() - BASE_NANOS) / 1_000;
    }
}
