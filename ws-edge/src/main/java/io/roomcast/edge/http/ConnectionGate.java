package io.roomcast.edge.http;

import io.roomcast.edge.limit.RateLimit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.roomcast.edge.EdgeConfig;
import io.roomcast.edge.protocol.ErrorCode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Admission to {@code /ws}, before the WebSocket handshake: refuses with HTTP 429 an address that
 * opens connections faster than allowed, and with HTTP 503 when the edge or the address already
 * holds its maximum of connections, each with a body in the endpoint's shape ({@link DoorRefusal}). The address is the {@link ClientAddress} (the forwarded client
 * behind a trusted proxy; IPv6 grouped by /64), attached to the exchange so that the connection is
 * counted under the same key. Cheap and non-blocking: runs on the IO thread.
 */
public final class ConnectionGate implements HttpHandler {
    private static final int TRACKED_ADDRESSES = 100_000;

    private final HttpHandler next;
    private final DoorRefusal refusal;
    private final EdgeConfig config;
    private final ConnectionCounts counts;
    private final Map<String, RateLimit> attempts;
    private final Counter refused;
    private final Counter throttled;

    /** @param endpoint names this gate in its metric ({@code ws}, {@code sse}, {@code openai}): each keeps its own attempts */
    public ConnectionGate(String endpoint, HttpHandler next, DoorRefusal refusal, ConnectionCounts counts, EdgeConfig config,
                          MeterRegistry meters) {
        this.next = next;
        this.refusal = refusal;
        this.counts = counts;
        this.config = config;
        this.attempts = java.util.Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, RateLimit> eldest) {
                return size() > TRACKED_ADDRESSES;
            }
        });
        Gauge.builder("roomcast.connections.tracked.addresses", attempts, Map::size).tag("endpoint", endpoint)
                .description("client addresses whose connect attempts are rate-limited (limit " + TRACKED_ADDRESSES + ", least recent forgotten)")
                .register(meters);
        this.refused = Counter.builder("roomcast.connections.refused").tag("reason", "limit").register(meters);
        this.throttled = Counter.builder("roomcast.connections.refused").tag("reason", "rate_limited").register(meters);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        ClientAddress client = ClientAddress.of(exchange, config.http().trustedProxies());
        exchange.putAttachment(ClientAddress.KEY, client);
        String address = client.limitKey();
        RateLimit limiter = attempts.computeIfAbsent(address, a -> new RateLimit(config.connectAttemptsPerIpPerSecond()));
        if (!limiter.tryAcquire()) {
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
