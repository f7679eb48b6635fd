package io.roomcast.edge.http;

import io.roomcast.edge.EdgeServer;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;

import java.time.Duration;

/**
 * {@code /healthz}: the process serves HTTP. {@code /readyz}: the edge is not draining, its live
 * tail runs and Kafka answers — a load balancer sends new clients only to ready edges.
 */
public final class HealthHandler {
    private final EdgeServer server;

    public HealthHandler(EdgeServer server) {
        this.server = server;
    }

    public void live(HttpServerExchange exchange) {
        respond(exchange, StatusCodes.OK, "{\"status\":\"up\"}");
    }

    public void ready(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this::ready); // the Kafka probe may wait: not on an IO thread
            return;
        }
        String reason = null;
        if (server.draining()) {
            reason = "draining";
        } else if (!server.backbone().live().isRunning()) {
            reason = "live tail stopped";
        } else if (!server.backbone().topics().reachable(Duration.ofSeconds(2))) {
            reason = "kafka unreachable";
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
