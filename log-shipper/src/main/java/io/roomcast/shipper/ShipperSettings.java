package io.roomcast.shipper;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The shipper's timings and limits; immutable, validated on construction, defaults in
 * {@link #defaults()}.
 *
 * @param pollInterval       how long the shipper sleeps when no input has new bytes
 * @param scanInterval       how often file patterns are listed again (new files, rotations)
 * @param rotateWait         how long a file that left its pattern (renamed, deleted) is still
 *                           followed for late writes after its last new byte
 * @param partialLineTimeout how long a last line without line end waits before it is shipped as it is
 * @param multilineTimeout   how long a record waits for further continuation lines
 * @param maxLineBytes       longer lines are cut to this many bytes with a marker
 * @param maxEventBytes      the largest record value; longer records are cut with a marker
 * @param maxInFlightRecords records sent but not yet acknowledged before reading pauses
 * @param maxInFlightBytes   bytes sent but not yet acknowledged before reading pauses
 * @param maxOpenFiles       files followed at once per pattern; more are skipped (counted, logged)
 * @param deliveryTimeout    how long the producer retries a record before the shipper
 *                           re-synchronises with Kafka (see docs/log-shipper.md)
 * @param retryBackoff       pause between attempts to reach Kafka while it is away
 */
public record ShipperSettings(Duration pollInterval, Duration scanInterval, Duration rotateWait,
                              Duration partialLineTimeout, Duration multilineTimeout,
                              int maxLineBytes, int maxEventBytes, int maxInFlightRecords, long maxInFlightBytes,
                              int maxOpenFiles, Duration deliveryTimeout, Duration retryBackoff) {
    /** @throws Invalid naming every setting out of its range, not only the first */
    public ShipperSettings {
        Map<String, String> problems = new LinkedHashMap<>();
        positive(problems, "pollInterval", pollInterval);
        positive(problems, "scanInterval", scanInterval);
        positive(problems, "rotateWait", rotateWait);
        positive(problems, "partialLineTimeout", partialLineTimeout);
        positive(problems, "multilineTimeout", multilineTimeout);
        positive(problems, "deliveryTimeout", deliveryTimeout);
        positive(problems, "retryBackoff", retryBackoff);
        range(problems, "maxLineBytes", maxLineBytes, 1024, 64 << 20);
        range(problems, "maxEventBytes", maxEventBytes, 4096, 64 << 20);
        range(problems, "maxInFlightRecords", maxInFlightRecords, 1, 1_000_000);
        range(problems, "maxInFlightBytes", maxInFlightBytes, 64 << 10, 1L << 30);
        range(problems, "maxOpenFiles", maxOpenFiles, 1, 10_000);
        if (!problems.containsKey("deliveryTimeout") && deliveryTimeout.toMillis() < 2_000) {
            problems.put("deliveryTimeout", "must be at least 2s, was " + deliveryTimeout);
        }
        if (!problems.isEmpty()) {
            throw new Invalid(problems);
        }
    }

    /** Settings out of their ranges: each setting's name and what is wrong with it, in declaration order. */
    public static final class Invalid extends IllegalArgumentException {
        private final transient Map<String, String> problems;

        Invalid(Map<String, String> problems) {
            super(problems.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining("; ")));
            this.problems = Collections.unmodifiableMap(new LinkedHashMap<>(problems));
        }

        /** Setting name → what is wrong ({@code must be positive, was PT0S}). */
        public Map<String, String> problems() {
            return problems;
        }
    }

    /** 250 ms polls, 1 s scans, 1 MiB lines, 1,000,000-byte records, 16 MiB in flight. */
    public static ShipperSettings defaults() {
        return new ShipperSettings(Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(1), 1 << 20, 1_000_000, 10_000, 16L << 20,
                1024, Duration.ofMinutes(2), Duration.ofSeconds(1));
    }

    public ShipperSettings withPollInterval(Duration d) {
        return new ShipperSettings(d, scanInterval, rotateWait, partialLineTimeout, multilineTimeout, maxLineBytes,
                maxEventBytes, maxInFlightRecords, maxInFlightBytes, maxOpenFiles, deliveryTimeout, retryBackoff);
    }

    public ShipperSettings withScanInterval(Duration d) {
        return new ShipperSettings(pollInterval, d, rotateWait, partialLineTimeout, multilineTimeout, maxLineBytes,
                maxEventBytes, maxInFlightRecords, maxInFlightBytes, maxOpenFiles, deliveryTimeout, retryBackoff);
    }

    public ShipperSettings withRotateWait(Duration d) {
        return new ShipperSettings(pollInterval, scanInterval, d, partialLineTimeout, multilineTimeout, maxLineBytes,
                maxEventBytes, maxInFlightRecords, maxInFlightBytes, maxOpenFiles, deliveryTimeout, retryBackoff);
    }

    public ShipperSettings withTimeouts(Duration partialLine, Duration multiline) {
        return new ShipperSettings(pollInterval, scanInterval, rotateWait, partialLine, multiline, maxLineBytes,
                maxEventBytes, maxInFlightRecords, maxInFlightBytes, maxOpenFiles, deliveryTimeout, retryBackoff);
    }

    public ShipperSettings withSizes(int lineBytes, int eventBytes) {
        return new ShipperSettings(pollInterval, scanInterval, rotateWait, partialLineTimeout, multilineTimeout, lineBytes,
                eventBytes, maxInFlightRecords, maxInFlightBytes, maxOpenFiles, deliveryTimeout, retryBackoff);
    }

    public ShipperSettings withInFlight(int records, long bytes) {
        return new ShipperSettings(pollInterval, scanInterval, rotateWait, partialLineTimeout, multilineTimeout, maxLineBytes,
                maxEventBytes, records, bytes, maxOpenFiles, deliveryTimeout, retryBackoff);
    }

    public ShipperSettings withMaxOpenFiles(int n) {
        return new ShipperSettings(pollInterval, scanInterval, rotateWait, partialLineTimeout, multilineTimeout, maxLineBytes,
                maxEventBytes, maxInFlightRecords, maxInFlightBytes, n, deliveryTimeout, retryBackoff);
    }

    public ShipperSettings withDeliveryTimeout(Duration d) {
        return new ShipperSettings(pollInterval, scanInterval, rotateWait, partialLineTimeout, multilineTimeout, maxLineBytes,
                maxEventBytes, maxInFlightRecords, maxInFlightBytes, maxOpenFiles, d, retryBackoff);
    }

    private static void positive(Map<String, String> problems, String name, Duration d) {
        if (d == null) {
            problems.put(name, "must be set");
        } else if (d.isNegative() || d.isZero()) {
            problems.put(name, "must be positive, was " + d);
        }
    }

    private static void range(Map<String, String> problems, String name, long value, long min, long max) {
        if (value < min || value > max) {
            problems.put(name, "must be " + min + ".." + max + ", was " + value);
        }
    }
}
