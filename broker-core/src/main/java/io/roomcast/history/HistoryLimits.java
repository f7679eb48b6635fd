package io.roomcast.history;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds that keep history reads from monopolising an edge: how long one read may hold a
 * reader thread, how many records one {@code last N} scan may look at, how many bytes of events the
 * edge's room caches may hold, and how many history reads one connection may have outstanding.
 *
 * @param readTimeout        one read's share of a reader thread; a read that runs out returns what it has read so far
 * @param scanRecords        records a backward {@code last N} scan looks at, at most (it then starts where it got to)
 * @param cacheBytes         bytes of events held in all room caches of the edge
 * @param readsPerConnection history reads one connection may have waiting or running at once
 */
public record HistoryLimits(Duration readTimeout, int scanRecords, long cacheBytes, int readsPerConnection) {
    public static final HistoryLimits DEFAULTS = new HistoryLimits(Duration.ofSeconds(2), 1_000_000, 256L * 1024 * 1024, 4);

    public HistoryLimits {
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("historyReadTimeout must be positive, was " + readTimeout);
        }
        if (scanRecords < 1_000) {
            throw new IllegalArgumentException("historyScanRecords must be >= 1000, was " + scanRecords);
        }
        if (cacheBytes < 0) {
            throw new IllegalArgumentException("historyCacheBytes must be >= 0, was " + cacheBytes);
        }
        if (readsPerConnection < 1 || readsPerConnection > 1_000) {
            throw new IllegalArgumentException("historyReadsPerConnection must be 1..1000, was " + readsPerConnection);
        }
    }

    public HistoryLimits withReadTimeout(Duration v) {
        return new HistoryLimits(v, scanRecords, cacheBytes, readsPerConnection);
    }

    public HistoryLimits withScanRecords(int v) {
        return new HistoryLimits(readTimeout, v, cacheBytes, readsPerConnection);
    }

    public HistoryLimits withCacheBytes(long v) {
        return new HistoryLimits(readTimeout, scanRecords, v, readsPerConnection);
    }

    public HistoryLimits withReadsPerConnection(int v) {
        return new HistoryLimits(readTimeout, scanRecords, cacheBytes, v);
    }
}
