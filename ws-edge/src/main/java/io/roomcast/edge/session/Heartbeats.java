package io.roomcast.edge.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.roomcast.edge.EdgeConfig;
import io.roomcast.edge.protocol.CloseCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The edge's periodic sweep over its connections, once a second on its own thread: sends
 * WebSocket pings, closes connections whose token expired without a refresh (4401), connections that sent nothing (not even a pong) within the heartbeat
 * timeout (4001) and connections whose client has accepted no byte for the write timeout while
 * frames wait (4000), and samples subscriber lag for the metrics.
 */
public final class Heartbeats implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);

    private final Collection<Session> sessions;
    private final long pingNanos;
    private final long timeoutNanos;
    private final long writeTimeoutNanos;
    private final Counter timedOut;
    private final Counter stalled;
    private final Counter expired;
    private final DistributionSummary lag;
    private final AtomicLong readAhead = new AtomicLong();

    public Heartbeats(Collection<Session> sessions, EdgeConfig config, MeterRegistry meters) {
        this.sessions = sessions;
        this.pingNanos = config.pingInterval().toNanos();
        this.timeoutNanos = config.heartbeatTimeout().toNanos();
        this.writeTimeoutNanos = config.writeTimeout().toNanos();
        this.timedOut = Counter.builder("roomcast.connections.closed").tag("reason", "heartbeat_timeout").register(meters);
        this.expired = Counter.builder("roomcast.connections.closed").tag("reason", "unauthorized").register(meters);
        this.stalled = Counter.builder("roomcast.connections.closed").tag("reason", "stalled").register(meters);
        this.lag = DistributionSummary.builder("roomcast.subscriber.lag.offsets")
                .description("subscriber lag behind the live position in partition offsets, sampled every second (the _max series is the maximum)").publishPercentileHistogram().register(meters);
        Gauge.builder("roomcast.replay.read_ahead", readAhead, AtomicLong::get)
                .description("history events read from Kafka and not yet sent, all subscriptions (at most outboundLimit each), sampled every second")
                .register(meters);
    }

    @Override
    public void run() {
        try {
            long now = System.nanoTime();
            long wallNow = System.currentTimeMillis();
            long readAheadNow = 0;
            for (Session s : sessions) {
                if (wallNow > s.authDeadlineMillis()) {
                    // the reasons of docs/auth.md: a token whose deadline passed, or no token where one is needed
                    String reason = s.principal() != null ? "unauthorized: expired" : "unauthorized: missing";
                    s.abandon(CloseCode.UNAUTHORIZED, reason, () -> {
                        expired.increment();
                        // Its token expired, or an anonymous connection's auth frame never came: the metric's reason.
                        log.atInfo().addKeyValue("session", s.id()).addKeyValue("remote", s.remote()).addKeyValue("reason", "unauthorized")
                                .log("closing connection");
                    });
                    continue;
                }
                if (now - s.lastReceivedNanos() > timeoutNanos) {
                    s.abandon(CloseCode.HEARTBEAT_TIMEOUT, () -> {
                        timedOut.increment();
                        log.atInfo().addKeyValue("session", s.id()).addKeyValue("remote", s.remote()).addKeyValue("reason", "heartbeat_timeout").log("closing connection");
                    });
                    continue;
                }
                Outbound out = s.outbound();
                if (out.queued() > 0 && now - out.lastProgressNanos() > writeTimeoutNanos) {
                    s.abandon(CloseCode.STALLED, () -> {
                        stalled.increment();
                        log.atInfo().addKeyValue("session", s.id()).addKeyValue("remote", s.remote()).addKeyValue("reason", "stalled")
                                .addKeyValue("queued", out.queued()).log("closing connection");
                    });
                    continue;
                }
                if (now - s.lastPingNanos() >= pingNanos) {
                    s.ping();
                }
                readAheadNow += s.sampleLag(lag);
            }
            readAhead.set(readAheadNow);
        } catch (RuntimeException e) {
            log.atError().setCause(e).log("heartbeat sweep failed");
        }
    }
}
