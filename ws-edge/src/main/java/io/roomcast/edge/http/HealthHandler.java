package io.roomcast.edge.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * {@code /healthz}: the edge is alive — its live tail thread runs and its loop and every IO thread
 * keep beating ({@link Liveness}); 503 with the reason otherwise, so that an orchestrator restarts
 * it. {@code /readyz}: the edge is not draining, its live tail runs and Kafka answers — a load
 * balancer sends new clients only to ready edges. The Kafka probe is cached ({@link CachedProbe}),
 * so a request costs no Kafka round trip while the cached answer is fresh, and is then answered on
 * the IO thread.
 */
public final class HealthHandler {
    private final Liveness liveness;
    private final BooleanSupplier draining;
    private final BooleanSupplier liveRunning;
    private final CachedProbe kafka;

    public HealthHandler(Liveness liveness, BooleanSupplier draining, BooleanSupplier liveRunning, CachedProbe kafka) {
        this.liveness = liveness;
        this.draining = draining;
        this.liveRunning = liveRunning;
        this.kafka = kafka;
    }

    /** Called on an IO thread: reads timestamps and flags only. */
    public void live(HttpServerExchange exchange) {
        Optional<String> problem = liveness.problem();
        if (problem.isEmpty()) {
            respond(exchange, StatusCodes.OK, "{\"status\":\"up\"}");
        } else {
            respond(exchange, StatusCodes.SERVICE_UNAVAILABLE, "{\"status\":\"down\",\"reason\":\"" + problem.get() + "\"}");
        }
    }

    /** Called on an IO thread; moves to a worker thread only when the Kafka probe is due. */
    public void ready(HttpServerExchange exchange) {
        String reason = null;
        if (draining.getAsBoolean()) {
            reason = "draining";
        } else if (!liveRunning.getAsBoolean()) {
            reason = "live tail stopped";
        } else {
            Optional<Boolean> cached = kafka.fresh();
            if (cached.isEmpty() && exchange.isInIoThread()) {
                exchange.dispatch(this::ready); // the Kafka probe may wait: not on an IO thread
                return;
            }
            if (!cached.orElseGet(kafka::get)) {
                reason = "kafka unreachable";
            }
        }
        if (reason == null) {
            respond(exchange, StatusCodes.OK, "{\"status\":\"ready\"}");
        } else {
            respond(exchange, StatusCodes.SERVICE_UNAVAILABLE, "{\"status\":\"not ready\",\"reason\":\"" + reason + "\"}");
        }
    }

    private static void respond(HttpServerExchange exchange, int status, String body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(body);
    }
}
