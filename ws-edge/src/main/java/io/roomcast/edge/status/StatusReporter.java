package io.roomcast.edge.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSupport;
import io.roomcast.publish.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Publishes this edge's {@link EdgeStatus} into {@link SystemRooms#EDGES} every interval, read from
 * the edge's own meters. Runs on its own daemon thread, so a slow or unreachable Kafka (a send may
 * wait for metadata) never delays heartbeats or IO; a report that fails is logged at debug and the
 * next one marks Kafka unreachable.
 */
public final class StatusReporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatusReporter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String TYPE = "edge.status";

    private final MeterRegistry meters;
    private final Publisher publisher;
    private final BooleanSupplier liveRunning;
    private final BooleanSupplier draining;
    private final String edge;
    private final String url;
    private final Duration interval;
    private final Clock clock;
    private final long startedAt;
    private final ScheduledExecutorService timer;
    private final BucketDelta lagOffsets = new BucketDelta();
    private final BucketDelta latency = new BucketDelta();
    private double lastIn;
    private double lastOut;
    private double lastBytes;
    private long lastAt;
    private volatile boolean lastReportAcked = true;

    /**
     * @param edge the edge's stable name (host:port); {@code url} its base URL. Starts reporting at
     *             once when {@code interval} is positive; zero disables reporting.
     */
    public StatusReporter(MeterRegistry meters, Publisher publisher, BooleanSupplier liveRunning, BooleanSupplier draining,
                          String edge, String url, Duration interval, Clock clock) {
        this.meters = meters;
        this.publisher = publisher;
        this.liveRunning = liveRunning;
        this.draining = draining;
        this.edge = edge;
        this.url = url;
        this.interval = interval;
        this.clock = clock;
        this.startedAt = clock.millis();
        this.lastAt = startedAt;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "roomcast-status");
            t.setDaemon(true);
            return t;
        });
        if (!interval.isZero()) {
            timer.scheduleWithFixedDelay(this::report, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The edge's name for status reports: $HOSTNAME (or the local host name) and the port. */
    public static String edgeName(int port) {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "localhost";
            }
        }
        return host + ":" + port;
    }

    /** Takes the current figures; called on the reporter's thread (and by tests). */
    EdgeStatus sample() {
        long now = clock.millis();
        double seconds = Math.max(0.001, (now - lastAt) / 1000.0);
        double in = counters("roomcast.publish.acked");
        double out = counters("roomcast.events.out") + counters("roomcast.replay.events");
        double bytes = counters("roomcast.outbound.bytes");
        EdgeStatus status = new EdgeStatus(edge, url, version(), startedAt, now - startedAt, interval.toMillis(),
                (long) gauge("roomcast.connections"), (long) gauge("roomcast.subscriptions"),
                round((in - lastIn) / seconds), round((out - lastOut) / seconds), round((bytes - lastBytes) / seconds),
                lagMax(), lagOffsets.p99(histogram("roomcast.subscriber.lag.offsets"), TimeUnit.NANOSECONDS),
                round(latency.p99(histogram("roomcast.delivery.latency"), TimeUnit.SECONDS)),
                (long) gauge("roomcast.history.kafka.queue"), (long) counters("roomcast.publish.failures"),
                liveRunning.getAsBoolean() && lastReportAcked, draining.getAsBoolean());
        lastIn = in;
        lastOut = out;
        lastBytes = bytes;
        lastAt = now;
        return status;
    }

    private void report() {
        try {
            byte[] data = JSON.writeValueAsBytes(sample());
            publisher.publish(SystemRooms.EDGES, TYPE, data, null, null).whenComplete((offset, failure) -> {
                lastReportAcked = failure == null;
                if (failure != null) {
                    log.atDebug().addKeyValue("room", SystemRooms.EDGES).addKeyValue("error", failure.toString()).log("status report not written");
                }
            });
        } catch (JsonProcessingException | RuntimeException e) {
            lastReportAcked = false;
            log.atDebug().addKeyValue("room", SystemRooms.EDGES).addKeyValue("error", e.toString()).log("status report not written");
        }
    }

    /** The sum of the counters named {@code name}, kept per increment or read from a function (a count summed when read). */
    private double counters(String name) {
        return meters.find(name).meters().stream().mapToDouble(StatusReporter::count).sum();
    }

    private static double count(Meter meter) {
        if (meter instanceof Counter c) {
            return c.count();
        }
        return meter instanceof FunctionCounter f ? f.count() : 0;
    }

    private double gauge(String name) {
        Gauge g = meters.find(name).gauge();
        return g == null ? 0 : g.value();
    }

    private HistogramSupport histogram(String name) {
        Timer t = meters.find(name).timer();
        return t != null ? t : meters.find(name).summary();
    }

    private double lagMax() {
        DistributionSummary s = meters.find("roomcast.subscriber.lag.offsets").summary();
        return s == null ? 0 : s.max();
    }

    private static String version() {
        String v = StatusReporter.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** The 99th percentile of what a cumulative histogram recorded since the previous call (a bucket's upper bound). */
    static final class BucketDelta {
        private double[] previous = new double[0];

        double p99(HistogramSupport histogram, TimeUnit unit) {
            if (histogram == null) {
                return 0;
            }
            CountAtBucket[] buckets = histogram.takeSnapshot().histogramCounts();
            double[] counts = new double[buckets.length];
            for (int i = 0; i < buckets.length; i++) {
                counts[i] = buckets[i].count();
            }
            double[] before = previous.length == counts.length ? previous : new double[counts.length];
            previous = counts;
            double total = counts.length == 0 ? 0 : counts[counts.length - 1] - before[counts.length - 1];
            if (total <= 0) {
                return 0;
            }
            for (int i = 0; i < buckets.length; i++) {
                if (counts[i] - before[i] >= 0.99 * total) {
                    return histogram instanceof Timer ? buckets[i].bucket(unit) : buckets[i].bucket();
                }
            }
            return 0;
        }
    }
}
