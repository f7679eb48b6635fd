package io.roomcast.edge.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.roomcast.edge.EdgeConfig;
import io.roomcast.edge.protocol.ErrorCode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Admission to {@code /ws} (before the WebSocket handshake), {@code /sse} and the OpenAI endpoint:
 * refuses with HTTP 429 an address that opens connections faster than allowed ({@link ConnectAttempts},
 * one budget for all three), and with HTTP 503 when the edge or the address already holds its
 * maximum of connections, each with a body in the endpoint's shape ({@link DoorRefusal}). The
 * address is the {@link ClientAddress} (the forwarded client behind a trusted proxy; IPv6 grouped
 * by /64), attached to the exchange so that the connection is counted under the same key. Cheap
 * and non-blocking: runs on the IO thread.
 */
public final class ConnectionGate implements HttpHandler {
    private final HttpHandler next;
    private final DoorRefusal refusal;
    private final EdgeConfig config;
    private final ConnectionCounts counts;
    private final ConnectAttempts attempts;
    private final Counter refused;
    private final Counter throttled;

    /** @param attempts the edge's one budget of connection attempts per address, shared by its gates */
    public ConnectionGate(HttpHandler next, DoorRefusal refusal, ConnectAttempts attempts, ConnectionCounts counts, EdgeConfig config,
                          MeterRegistry meters) {
        this.next = next;
        this.refusal = refusal;
        this.attempts = attempts;
        this.counts = counts;
        this.config = config;
        this.refused = Counter.builder("roomcast.connections.refused").tag("reason", "limit").register(meters);
        this.throttled = Counter.builder("roomcast.connections.refused").tag("reason", "rate_limited").register(meters);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        ClientAddress client = ClientAddress.of(exchange, config.http().trustedProxies());
        exchange.putAttachment(ClientAddress.KEY, client);
        String address = client.limitKey();
        if (!attempts.tryAcquire(address)) {
            throttled.increment();
            refusal.send(exchange, ErrorCode.RATE_LIMITED, "too many connection attempts from " + address + "; retry later");
            return;
        }
        if (counts.total() >= config.maxConnections()) {
            refused.increment();
            refusal.send(exchange, ErrorCode.UNAVAILABLE, "edge is full; connect to another edge or retry later");
            return;
        }
        if (counts.of(address) >= config.maxConnectionsPerIp()) {
            refused.increment();
            refusal.send(exchange, ErrorCode.UNAVAILABLE, "too many connections from " + address);
            return;
        }
        next.handleRequest(exchange);
    }
}
