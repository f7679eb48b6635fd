package io.roomcast.producer;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.roomcast.room.RoomName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.time.Duration;

/**
 * Reports a generation's lifecycle once, to all three audiences: the SLF4J log, the
 * operational log room and Micrometer ({@code roomcast.producer.*} meters tagged with the
 * backend). Thread-safe.
 */
final class GenerationMonitor {
    private static final Logger log = LoggerFactory.getLogger(GenerationMonitor.class);
    private static final String LOGGER = GenerationMonitor.class.getName();

    private final OperationalLog opsLog;
    private final MeterRegistry registry;
    private final String backend;
    private final Timer firstToken;
    private final Timer duration;
    private final Counter tokens;

    GenerationMonitor(OperationalLog opsLog, MeterRegistry registry, String backend) {
        this.opsLog = opsLog;
        this.registry = registry;
        this.backend = backend;
        this.firstToken = Timer.builder("roomcast.producer.first.token").description("time from the start of a generation to its first token")
                .tag("backend", backend).register(registry);
        this.duration = Timer.builder("roomcast.producer.generation.duration").description("time from the start of a generation to its end")
                .tag("backend", backend).register(registry);
        this.tokens = Counter.builder("roomcast.producer.tokens").description("tokens published").tag("backend", backend).register(registry);
    }

    /** Reports the backend's circuit breaker transitions and exposes it and the bulkhead as gauges. */
    void watch(CircuitBreaker breaker, Bulkhead bulkhead) {
        Gauge.builder("roomcast.producer.circuit.state", breaker, b -> b.getState().getOrder())
                .description("circuit breaker state of the backend (0 closed, 1 open, 2 half open, ...)")
                .tag("backend", backend).register(registry);
        Gauge.builder("roomcast.producer.generations.active", bulkhead,
                b -> b.getBulkheadConfig().getMaxConcurrentCalls() - b.getMetrics().getAvailableConcurrentCalls())
                .description("generations running now").tag("backend", backend).register(registry);
        breaker.getEventPublisher().onStateTransition(event -> {
            String transition = event.getStateTransition().toString();
            boolean opened = event.getStateTransition().getToState() == CircuitBreaker.State.OPEN;
            log.atLevel(opened ? Level.WARN : Level.INFO).addKeyValue("backend", backend)
                    .addKeyValue("transition", transition).log("backend circuit breaker changed state");
            opsLog.log(opened ? LogEvent.WARN : LogEvent.INFO, LOGGER, "backend circuit breaker changed state",
                    "backend", backend, "transition", transition);
        });
    }

    void started(GenerationId id, RoomName room, String model, boolean restarted) {
        log.atInfo().addKeyValue("generationId", id).addKeyValue("room", room).addKeyValue("model", model)
                .addKeyValue("restarted", restarted).log("generation started");
        opsLog.log(LogEvent.INFO, LOGGER, restarted ? "generation restarted after takeover" : "generation started",
                "generationId", id, "room", room, "model", model, "backend", backend);
    }

    void firstToken(GenerationId id, Duration latency) {
        firstToken.record(latency);
        log.atDebug().addKeyValue("generationId", id).addKeyValue("latencyMs", latency.toMillis()).log("first token");
    }

    void token() {
        tokens.increment();
    }

    void done(GenerationId id, RoomName room, String finishReason, int tokenCount, Duration elapsed, Duration toFirstToken) {
        record("done", elapsed);
        log.atInfo().addKeyValue("generationId", id).addKeyValue("room", room).addKeyValue("finishReason", finishReason)
                .addKeyValue("tokens", tokenCount).addKeyValue("durationMs", elapsed.toMillis())
                .addKeyValue("firstTokenMs", toFirstToken.toMillis()).log("generation done");
        opsLog.log(LogEvent.INFO, LOGGER, "generation done", "generationId", id, "room", room, "finishReason", finishReason,
                "tokens", tokenCount, "durationMs", elapsed.toMillis(), "firstTokenMs", toFirstToken.toMillis());
    }

    void cancelled(GenerationId id, RoomName room, int tokenCount, Duration elapsed) {
        record("cancelled", elapsed);
        log.atInfo().addKeyValue("generationId", id).addKeyValue("room", room).addKeyValue("tokens", tokenCount).log("generation cancelled");
        opsLog.log(LogEvent.INFO, LOGGER, "generation cancelled", "generationId", id, "room", room, "tokens", tokenCount);
    }

    void failed(GenerationId id, RoomName room, GenerationFailure failure, Duration elapsed) {
        record("error", elapsed);
        boolean ours = GenerationFailure.INTERNAL.equals(failure.code());
        log.atLevel(ours ? Level.ERROR : Level.WARN).addKeyValue("generationId", id).addKeyValue("room", room)
                .addKeyValue("code", failure.code()).addKeyValue("message", failure.message()).log("generation failed");
        opsLog.log(ours ? LogEvent.ERROR : LogEvent.WARN, LOGGER, "generation failed", "generationId", id, "room", room,
                "code", failure.code(), "message", failure.message(), "backend", backend);
    }

    void alreadyAnswered(GenerationId id, RoomName room) {
        registry.counter("roomcast.producer.generations", "backend", backend, "outcome", "skipped").increment();
        log.atInfo().addKeyValue("generationId", id).addKeyValue("room", room).log("prompt already answered before a takeover; skipped");
    }

    void abandoned(GenerationId id, RoomName room) {
        registry.counter("roomcast.producer.generations", "backend", backend, "outcome", "abandoned").increment();
        log.atInfo().addKeyValue("generationId", id).addKeyValue("room", room).log("generation abandoned: partition revoked or producer closing");
    }

    void publishFailed(GenerationId id, RoomName room, String reason) {
        registry.counter("roomcast.producer.publish.failures", "backend", backend).increment();
        log.atWarn().addKeyValue("generationId", id).addKeyValue("room", room).addKeyValue("reason", reason).log("cannot publish to Kafka");
    }

    void ignored(RoomRecord event, String reason) {
        registry.counter("roomcast.producer.events.ignored", "backend", backend).increment();
        log.atWarn().addKeyValue("topic", event.partition().topic()).addKeyValue("partition", event.partition().partition())
                .addKeyValue("offset", event.offset()).addKeyValue("type", event.type()).addKeyValue("reason", reason).log("event ignored");
        opsLog.log(LogEvent.WARN, LOGGER, "event ignored", "topic", event.partition().topic(), "partition", event.partition().partition(),
                "offset", event.offset(), "type", event.type(), "reason", reason);
    }

    private void record(String outcome, Duration elapsed) {
        registry.counter("roomcast.producer.generations", "backend", backend, "outcome", outcome).increment();
        duration.record(elapsed);
    }
}
