package io.roomcast.producer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.roomcast.room.RoomName;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reports this producer's figures every interval as a {@code producer.status} event into the
 * system room {@code sys:producers} (the status app charts them; docs/apps.md): generations
 * running, tokens per second, time to first token (mean and maximum over the interval), failed
 * generations, the backend's circuit breaker. Best effort: a report is skipped when the
 * producer's best-effort send slots are full. Runs on its own daemon thread.
 */
final class ProducerStatus implements AutoCloseable {
    static final RoomName ROOM = RoomName.of("sys:producers");
    static final String TYPE = "producer.status";
    private static final String[] BREAKER = {"closed", "open", "half_open", "disabled", "forced_open", "metrics_only"};

    private final MeterRegistry registry;
    private final RoomPublisher publisher;
    private final ObjectMapper json;
    private final String topic;
    private final String name;
    private final String backend;
    private final Duration interval;
    private final Clock clock;
    private final long startedAt;
    private final ScheduledExecutorService timer;
    private double lastTokens;
    private long lastFirstCount;
    private double lastFirstSeconds;
    private long lastAt;

    ProducerStatus(MeterRegistry registry, RoomPublisher publisher, ObjectMapper json, String topic, String name, String backend,
                   Duration interval, Clock clock) {
        this.registry = registry;
        this.publisher = publisher;
        this.json = json;
        this.topic = topic;
        this.name = name;
        this.backend = backend;
        this.interval = interval;
        this.clock = clock;
        this.startedAt = clock.millis();
        this.lastAt = startedAt;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "model-producer-status");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::report, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The system topic beside the producer's log topic: {@code roomcast.logs} gives {@code roomcast.sys}, as edges name it. */
    static String topicBeside(String logsTopic) {
        int dot = logsTopic.lastIndexOf('.');
        return (dot < 0 ? "roomcast." : logsTopic.substring(0, dot + 1)) + "sys";
    }

    ObjectNode sample() {
        long now = clock.millis();
        double seconds = Math.max(0.001, (now - lastAt) / 1000.0);
        double tokens = registry.find("roomcast.producer.tokens").counters().stream().mapToDouble(Counter::count).sum();
        Timer first = registry.find("roomcast.producer.first.token").timer();
        long firstCount = first == null ? 0 : first.count();
        double firstSeconds = first == null ? 0 : first.totalTime(TimeUnit.SECONDS);
        ObjectNode d = json.createObjectNode();
        d.put("producer", name);
        d.put("backend", backend);
        d.put("version", version());
        d.put("startedAt", startedAt);
        d.put("uptimeMs", now - startedAt);
        d.put("intervalMs", interval.toMillis());
        d.put("running", (long) gauge("roomcast.producer.generations.active"));
        d.put("tokensPerSec", Math.round((tokens - lastTokens) / seconds * 100) / 100.0);
        long newFirst = firstCount - lastFirstCount;
        d.put("firstTokenMeanSeconds", newFirst == 0 ? 0 : Math.round((firstSeconds - lastFirstSeconds) / newFirst * 1000) / 1000.0);
        d.put("firstTokenMaxSeconds", first == null ? 0 : Math.round(first.max(TimeUnit.SECONDS) * 1000) / 1000.0);
        d.put("failedGenerations", (long) registry.find("roomcast.producer.generations").tag("outcome", "error").counters().stream()
                .mapToDouble(Counter::count).sum());
        int breaker = (int) gauge("roomcast.producer.circuit.state");
        d.put("breaker", breaker >= 0 && breaker < BREAKER.length ? BREAKER[breaker] : "unknown");
        lastTokens = tokens;
        lastFirstCount = firstCount;
        lastFirstSeconds = firstSeconds;
        lastAt = now;
        return d;
    }

    private void report() {
        try {
            publisher.tryPublish(topic, ROOM, TYPE, sample());
        } catch (RuntimeException e) {
            // best effort: the next report tries again
        }
    }

    private double gauge(String meter) {
        Gauge g = registry.find(meter).gauge();
        return g == null ? 0 : g.value();
    }

    private static String version() {
        String v = ProducerStatus.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
