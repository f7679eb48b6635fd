package io.roomcast.edge.publish;

import java.time.Duration;
import java.util.Objects;

/**
 * The publish path's limits, immutable and validated once; documented in docs/operations.md.
 *
 * @param promptsPerMinutePerRoom      {@code prompt} events one room accepts per minute on this edge
 * @param promptsPerMinutePerPrincipal {@code prompt} events one principal (anonymous: one IP address) may publish per minute on this edge
 * @param quotaKeys                    rooms and principals whose prompt quotas are tracked at once (the least recently used go first)
 * @param retryLookupRecords           records one {@code retry:true} lookup may read from the room's partition
 * @param retryLookupBytes             bytes (keys, values and headers) one retry lookup may read
 * @param retryLookupQueue             retries that may be under way on this edge (looking up or waiting for the earlier attempt
 *                                     to settle); more are refused {@code unavailable}
 * @param retryLookupsPerPublisher     retries one publisher may have under way at once; more are refused {@code rate_limited}
 * @param retrySettle                  how long after a publish began its outcome is settled: a retry that does not find the
 *                                     earlier attempt waits this long before it writes; {@code null}: the producer's
 *                                     {@code delivery.timeout.ms} plus {@code request.timeout.ms}
 */
public record PublishSettings(int promptsPerMinutePerRoom, int promptsPerMinutePerPrincipal, int quotaKeys,
                              long retryLookupRecords, long retryLookupBytes, int retryLookupQueue, int retryLookupsPerPublisher,
                              Duration retrySettle) {

    public PublishSettings {
        range("promptsPerMinutePerRoom", promptsPerMinutePerRoom, 1, 1_000_000);
        range("promptsPerMinutePerPrincipal", promptsPerMinutePerPrincipal, 1, 1_000_000);
        range("quotaKeys", quotaKeys, 1, 10_000_000);
        range("retryLookupRecords", retryLookupRecords, 1, 1_000_000_000L);
        range("retryLookupBytes", retryLookupBytes, 1, 1L << 40);
        range("retryLookupQueue", retryLookupQueue, 1, 1_000_000);
        range("retryLookupsPerPublisher", retryLookupsPerPublisher, 1, 10_000);
        if (retrySettle != null && (retrySettle.isNegative() || retrySettle.compareTo(Duration.ofHours(1)) > 0)) {
            throw new IllegalArgumentException("retrySettle must be 0..1h, was " + retrySettle);
        }
    }

    public static PublishSettings defaults() {
        return new PublishSettings(60, 20, 100_000, 2_000_000, 512L * 1024 * 1024, 1_000, 64, null);
    }

    public PublishSettings withPromptQuota(int perRoom, int perPrincipal) {
        return new PublishSettings(perRoom, perPrincipal, quotaKeys, retryLookupRecords, retryLookupBytes, retryLookupQueue,
                retryLookupsPerPublisher, retrySettle);
    }

    public PublishSettings withRetryLookupBounds(long records, long bytes) {
        return new PublishSettings(promptsPerMinutePerRoom, promptsPerMinutePerPrincipal, quotaKeys, records, bytes, retryLookupQueue,
                retryLookupsPerPublisher, retrySettle);
    }

    public PublishSettings withRetrySettle(Duration settle) {
        return new PublishSettings(promptsPerMinutePerRoom, promptsPerMinutePerPrincipal, quotaKeys, retryLookupRecords,
                retryLookupBytes, retryLookupQueue, retryLookupsPerPublisher, Objects.requireNonNull(settle, "settle"));
    }

    private static void range(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", was " + value);
        }
    }
}
