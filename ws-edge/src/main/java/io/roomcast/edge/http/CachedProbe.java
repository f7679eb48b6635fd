package io.roomcast.edge.http;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * A probe whose answer is reused for a short time, so that a readiness check polled by many load
 * balancers (or by a stranger in a loop) costs at most one Kafka round trip per period.
 * Thread-safe: concurrent callers of {@link #get()} while the answer is stale wait for one probe.
 */
public final class CachedProbe {
    private record Answer(boolean ok, long atNanos) {
    }

    private final BooleanSupplier probe;
    private final long ttlNanos;
    private final LongSupplier nanos;
    private final Runnable probed;
    private volatile Answer last;

    /**
     * @param probe  may block; never called on an IO thread by {@link HealthHandler}
     * @param nanos  a monotonic clock ({@code System::nanoTime})
     * @param probed told of every probe (a counter)
     */
    public CachedProbe(BooleanSupplier probe, Duration ttl, LongSupplier nanos, Runnable probed) {
        this.probe = probe;
        this.ttlNanos = ttl.toNanos();
        this.nanos = nanos;
        this.probed = probed;
    }

    /** The last answer while it is fresh; empty when a probe is due. Never blocks. */
    public Optional<Boolean> fresh() {
        Answer a = last;
        return a != null && nanos.getAsLong() - a.atNanos < ttlNanos ? Optional.of(a.ok) : Optional.empty();
    }

    /** The fresh answer, or a new one (blocking for the probe). */
    public synchronized boolean get() {
        Optional<Boolean> fresh = fresh();
        if (fresh.isPresent()) {
            return fresh.get();
        }
        probed.run();
        boolean ok = probe.getAsBoolean();
        last = new Answer(ok, nanos.getAsLong());
        return ok;
    }
}
