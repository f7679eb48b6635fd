package io.roomcast.edge.http;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * What {@code /healthz} judges: conditions that must hold (the live tail thread is alive) and
 * heartbeats that must keep coming (the live tail loop, each IO thread). An edge that ran out of
 * memory, or whose live thread is stuck, stops serving while the process still answers HTTP on
 * another thread; this turns that into a 503, so that an orchestrator replaces it.
 *
 * <p>Thread-safety: hearts and conditions are registered once at start-up; {@link #problem()} and
 * the hearts' beats may be called from any thread.
 */
public final class Liveness {
    private final Duration timeout;
    private final LongSupplier nanos;
    private final Map<String, LongSupplier> beats = new ConcurrentHashMap<>();
    private final Map<String, BooleanSupplier> conditions = new ConcurrentHashMap<>();

    /** @param nanos a monotonic clock in nanoseconds ({@code System::nanoTime}) */
    public Liveness(Duration timeout, LongSupplier nanos) {
        this.timeout = timeout;
        this.nanos = nanos;
    }

    /** Registers a heartbeat named {@code name}, beating now; run the returned action to beat again. */
    public Runnable heart(String name) {
        AtomicLong last = new AtomicLong(nanos.getAsLong());
        beats.put(name, last::get);
        return () -> last.set(nanos.getAsLong());
    }

    /** Registers a heartbeat kept elsewhere: {@code lastBeatNanos} tells when it last beat, on the same clock. */
    public void watch(String name, LongSupplier lastBeatNanos) {
        beats.put(name, lastBeatNanos);
    }

    /** Registers a condition; while it does not hold, {@link #problem()} reports {@code reason}. */
    public void require(String reason, BooleanSupplier holds) {
        conditions.put(reason, holds);
    }

    /** The first thing wrong, or empty when the edge is alive. Cheap: any thread, including an IO thread. */
    public Optional<String> problem() {
        for (var condition : conditions.entrySet()) {
            if (!condition.getValue().getAsBoolean()) {
                return Optional.of(condition.getKey());
            }
        }
        long now = nanos.getAsLong();
        for (var beat : beats.entrySet()) {
            long silent = now - beat.getValue().getAsLong();
            if (silent > timeout.toNanos()) {
                return Optional.of(beat.getKey() + " silent for " + Duration.ofNanos(silent).toSeconds() + " s");
            }
        }
        return Optional.empty();
    }
}
