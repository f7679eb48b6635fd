package io.roomcast.edge.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.roomcast.edge.limit.RateLimit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The connection attempts of each client address, one budget per address for all the edge's
 * doors ({@code /ws}, {@code /sse}, {@code /v1/chat/completions}): {@code connectAttemptsPerIpPerSecond}
 * is the edge's, not each endpoint's. At most {@link #TRACKED_ADDRESSES} addresses, the least recent
 * forgotten (gauge {@code roomcast.connections.tracked.addresses}). Thread-safe: the IO threads call it.
 */
public final class ConnectAttempts {
    static final int TRACKED_ADDRESSES = 100_000;

    private final int perSecond;
    private final Map<String, RateLimit> byAddress = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RateLimit> eldest) {
            return size() > TRACKED_ADDRESSES;
        }
    });

    public ConnectAttempts(int perSecond, MeterRegistry meters) {
        this.perSecond = perSecond;
        Gauge.builder("roomcast.connections.tracked.addresses", byAddress, Map::size)
                .description("client addresses whose connect attempts are rate-limited (limit " + TRACKED_ADDRESSES + ", least recent forgotten)")
                .register(meters);
    }

    /** Whether {@code address} may make one more attempt this second (and counts it if so). An IO thread. */
    public boolean tryAcquire(String address) {
        return byAddress.computeIfAbsent(address, a -> new RateLimit(perSecond)).tryAcquire();
    }
}
