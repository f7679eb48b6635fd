package io.roomcast.edge.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.roomcast.edge.protocol.ErrorCode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/** Edge-wide counters of what sessions do. Thread-safe. */
public final class SessionMetrics {
    private static final VarHandle LIVE_BY_TAIL;

    static {
        try {
            LIVE_BY_TAIL = MethodHandles.lookup().findVarHandle(SessionMetrics.class, "liveByTail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Counter subscribed;
    private final Counter unsubscribed;
    private final Counter published;
    private final Counter duplicates;
    private final Counter replayedFromCache;
    private final Counter replayedFromKafka;
    private final Counter lagging;
    private final Counter handoverOverflows;
    private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);
    private final Counter dropped;
    private final BooleanSupplier onTailThread;
    /**
     * Live deliveries made on the live tail's thread, their only writer: counted without a locked
     * instruction (an event with a hundred subscribers counts a hundred times in a row), opaque so
     * that a scrape reads a whole value. Those made elsewhere (a catch-up's switch) go to the adder.
     */
    @SuppressWarnings("unused")
    private long liveByTail;
    private final LongAdder liveElsewhere = new LongAdder();
    private final Timer latency;
    private final Counter flooded;
    private final Counter rateLimited;
    /** The event whose latency was recorded last (written by the live thread, sometimes a worker: a missed or repeated sample is harmless). */
    private volatile io.roomcast.event.RoomEvent lastTimed;

    /** @param onTailThread whether the calling thread is the live tail's (see {@code LiveTail.onTailThread}) */
    public SessionMetrics(MeterRegistry meters, BooleanSupplier onTailThread) {
        this.onTailThread = onTailThread;
        subscribed = Counter.builder("roomcast.subscriptions.started").register(meters);
        unsubscribed = Counter.builder("roomcast.subscriptions.ended").register(meters);
        published = Counter.builder("roomcast.publish.acked").description("publishes acknowledged by Kafka").register(meters);
        duplicates = Counter.builder("roomcast.publish.duplicates")
                .description("publishes answered with an earlier offset of the same eventId instead of written again").register(meters);
        replayedFromCache = Counter.builder("roomcast.replay.events").tag("source", "cache").register(meters);
        replayedFromKafka = Counter.builder("roomcast.replay.events").tag("source", "kafka").register(meters);
        lagging = Counter.builder("roomcast.subscriptions.lagging")
                .description("times a subscriber fell behind live and was switched to catch-up").register(meters);
        handoverOverflows = Counter.builder("roomcast.handover.overflows")
                .description("hand-over buffers that overflowed during a catch-up").register(meters);
        dropped = Counter.builder("roomcast.events.dropped")
                .description("live events dropped for slow subscribers under drop-oldest or latest-only").register(meters);
        FunctionCounter.builder("roomcast.events.out", this, SessionMetrics::liveEvents)
                .description("live events handed to subscribers").register(meters);
        latency = Timer.builder("roomcast.delivery.latency")
                .description("event time (Kafka record timestamp) to hand-over to the subscriber's connection")
                .publishPercentileHistogram().minimumExpectedValue(java.time.Duration.ofMillis(1))
                .maximumExpectedValue(java.time.Duration.ofSeconds(30)).register(meters);
        flooded = Counter.builder("roomcast.connections.closed").tag("reason", "flooded")
                .description("connections closed because their unread answers exceeded the control frame limit").register(meters);
        rateLimited = Counter.builder("roomcast.connections.closed").tag("reason", "rate_limited")
                .description("connections closed with 4029 because they kept exceeding their rate limits").register(meters);
        for (ErrorCode code : ErrorCode.values()) {
            errors.put(code, Counter.builder("roomcast.errors").tag("code", code.wire()).register(meters));
        }
    }

    void flooded() {
        flooded.increment();
    }

    void closedRateLimited() {
        rateLimited.increment();
    }

    void subscribed() {
        subscribed.increment();
    }

    void unsubscribed() {
        unsubscribed.increment();
    }

    void published(boolean duplicate) {
        (duplicate ? duplicates : published).increment();
    }

    void replayed(int count, boolean fromCache) {
        (fromCache ? replayedFromCache : replayedFromKafka).increment(count);
    }

    void lagging() {
        lagging.increment();
    }

    void handoverOverflowed() {
        handoverOverflows.increment();
    }

    /**
     * Counts a live delivery; the latency is recorded once per event, for its first subscriber: the
     * live tail hands an event to all of a room's subscribers in a row, so timing every delivery
     * cost a clock read and a histogram update each and told nothing more. The live tail's thread,
     * or a worker for the events a catch-up buffered.
     */
    void deliveredLive(io.roomcast.event.RoomEvent event) {
        if (onTailThread.getAsBoolean()) {
            LIVE_BY_TAIL.setOpaque(this, (long) LIVE_BY_TAIL.getOpaque(this) + 1);
        } else {
            liveElsewhere.increment();
        }
        if (lastTimed != event) {
            lastTimed = event;
            latency.record(Math.max(0, System.currentTimeMillis() - event.timestamp()), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** Live deliveries so far. Any thread (a scrape). */
    private double liveEvents() {
        return (long) LIVE_BY_TAIL.getOpaque(this) + liveElsewhere.sum();
    }

    void dropped(int count) {
        dropped.increment(count);
    }

    void error(ErrorCode code) {
        errors.get(code).increment();
    }
}
