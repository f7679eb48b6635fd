package io.roomcast.edge.sse;

import io.micrometer.core.instrument.MeterRegistry;
import io.roomcast.edge.Backbone;
import io.roomcast.edge.auth.AuthException;
import io.roomcast.edge.auth.Decision;
import io.roomcast.edge.auth.Principal;
import io.roomcast.edge.http.ConnectionCounts;
import io.roomcast.edge.http.ClientAddress;
import io.roomcast.edge.http.JsonErrors;
import io.roomcast.edge.protocol.ErrorCode;
import io.roomcast.edge.subscription.ReadPermits;
import io.roomcast.edge.subscription.Subscription;
import io.roomcast.position.StartPoint;
import io.roomcast.room.RoomName;
import io.roomcast.room.UnknownNamespaceException;
import io.roomcast.topic.KafkaUnavailableException;
import io.roomcast.topic.RoomLocation;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.sse.ServerSentEventConnection;
import io.undertow.server.handlers.sse.ServerSentEventHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /sse?room=R[&room=R2...]}: the rooms' events as {@code text/event-stream}, with the
 * WebSocket's guarantees — the same subscriptions, hand-over and lossless backpressure (through
 * {@link RoomStream}, a {@code FrameSink} bounded by the edge's outbound limit), the same access
 * rules (token from an {@code Authorization} header or the {@code roomcast_token} cookie), and the
 * same connection limits (it is admitted by the {@link io.roomcast.edge.http.ConnectionGate} and counted with WebSocket
 * connections). See docs/protocol.md, "Server-sent events".
 *
 * <p>Threading: {@link #handleRequest} runs on an IO thread and only parses; authentication and
 * room lookups run on the backbone's worker executor. Streams are swept once a second on a thread
 * of their own: heartbeat comments, token expiry and stalled clients.
 */
public final class SseTransport implements HttpHandler, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SseTransport.class);
    /** What a client's {@code EventSource} waits before reconnecting (sent as {@code retry:}). */
    public static final long RETRY_MILLIS = 1000;

    private final Backbone backbone;
    private final ConnectionCounts counts;
    private final SseMetrics metrics;
    private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private final ScheduledExecutorService sweeper;
    private volatile boolean draining;
    /** Only touched by the sweeper thread. */
    private long lastEpochCheckNanos = System.nanoTime();

    public SseTransport(Backbone backbone, ConnectionCounts counts, MeterRegistry meters) {
        this.backbone = backbone;
        this.counts = counts;
        this.metrics = new SseMetrics(meters, streams);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "roomcast-sse-sweep");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    public SseMetrics metrics() {
        return metrics;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (!exchange.getRequestMethod().equals(Methods.GET)) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET");
            metrics.refused("method_not_allowed");
            JsonErrors.send(exchange, 405, ErrorCode.BAD_REQUEST, "use GET");
            return;
        }
        if (draining) {
            refuse(exchange, ErrorCode.UNAVAILABLE, "edge is draining; reconnect to another edge");
            return;
        }
        if (!backbone.security().origins().allows(exchange.getRequestHeaders().getFirst(Headers.ORIGIN))) {
            refuse(exchange, ErrorCode.FORBIDDEN, "origin not allowed");
            return;
        }
        SseRequest request;
        try {
            request = SseRequest.parse(exchange.getQueryParameters(), exchange.getRequestHeaders().getFirst("Last-Event-ID"),
                    backbone.config().maxSubscriptionsPerConnection());
        } catch (IllegalArgumentException e) {
            refuse(exchange, ErrorCode.BAD_REQUEST, e.getMessage());
            return;
        }
        // A full worker queue makes Undertow answer 503 itself.
        exchange.dispatch(backbone.worker(), () -> admit(exchange, request));
    }

    /** On a worker: who is asking, may they, where the rooms live; then the stream starts. */
    private void admit(HttpServerExchange exchange, SseRequest request) {
        Principal principal;
        try {
            principal = HttpPrincipal.of(exchange, backbone.security());
        } catch (AuthException e) {
            refuse(exchange, e.errorCode(), "token refused: " + e.reason().wire());
            return;
        }
        var access = backbone.security().access();
        if (!access.mayConnect(principal)) {
            refuse(exchange, ErrorCode.UNAUTHORIZED,
                    "a token is required: send an Authorization: Bearer header or the " + RequestToken.COOKIE + " cookie");
            return;
        }
        Map<RoomLocation, StartPoint> rooms = new LinkedHashMap<>();
        for (Map.Entry<RoomName, StartPoint> e : request.rooms().entrySet()) {
            Decision d = access.subscribe(principal, e.getKey());
            if (!d.allowed()) {
                refuse(exchange, d.code(), d.message());
                return;
            }
            try {
                rooms.put(backbone.topics().locate(e.getKey()), e.getValue());
            } catch (UnknownNamespaceException ex) {
                refuse(exchange, ErrorCode.BAD_REQUEST, ex.getMessage());
                return;
            } catch (KafkaUnavailableException ex) {
                refuse(exchange, ErrorCode.UNAVAILABLE, "Kafka is unavailable; retry");
                return;
            }
        }
        long deadline = principal == null ? Long.MAX_VALUE : access.deadline(principal).toEpochMilli();
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        exchange.getResponseHeaders().put(new HttpString("X-Accel-Buffering"), "no"); // nginx: do not buffer the stream
        try {
            new ServerSentEventHandler((connection, lastEventId) -> opened(exchange, connection, request, rooms, deadline))
                    .handleRequest(exchange);
        } catch (Exception e) {
            log.atError().setCause(e).log("could not start an SSE response");
            refuse(exchange, ErrorCode.INTERNAL, "could not start the stream");
        }
    }

    /** On the IO thread, once the response headers are out. */
    private void opened(HttpServerExchange exchange, ServerSentEventConnection connection, SseRequest request,
                        Map<RoomLocation, StartPoint> rooms, long deadline) {
        String id = "sse-" + Long.toString(ids.incrementAndGet(), 36) + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
        ClientAddress client = exchange.getAttachment(ClientAddress.KEY);
        String remote = client == null ? "unknown" : client.limitKey();
        SseChannel channel = new SseChannel(connection, backbone.config().outboundLimit(), metrics);
        SseStream stream = new SseStream(id, remote, channel, deadline, metrics);
        Runnable uncount = counts.opened(remote);
        streams.add(stream);
        connection.addCloseTask(c -> {
            uncount.run();
            streams.remove(stream);
            // Ending a subscription takes its lock, which live dispatch may hold while it writes here: not on the IO thread.
            backbone.offIoThread(stream::stopSubscriptions);
            log.atDebug().addKeyValue("stream", id).addKeyValue("remote", remote).log("SSE stream closed");
        });
        connection.setKeepAliveTime(backbone.config().pingInterval().toMillis());
        channel.retry(RETRY_MILLIS);
        Map<RoomName, StreamPosition> resumed = new LinkedHashMap<>();
        List<RoomName> names = new ArrayList<>();
        for (Map.Entry<RoomLocation, StartPoint> e : rooms.entrySet()) {
            RoomName room = e.getKey().room();
            names.add(room);
            if (e.getValue() instanceof StartPoint.After after) {
                resumed.put(room, new StreamPosition(room, after.epoch(), after.offset()));
            }
        }
        RoomStream sink = new RoomStream(channel, names, resumed);
        ReadPermits permits = new ReadPermits(backbone.config().historyLimits().readsPerConnection());
        for (Map.Entry<RoomLocation, StartPoint> e : rooms.entrySet()) {
            RoomLocation location = e.getKey();
            stream.add(new Subscription(backbone, sink, location, e.getValue(), null,
                    request.policy() != null ? request.policy() : location.namespace().policy(), permits, stream.events()));
        }
        log.atDebug().addKeyValue("stream", id).addKeyValue("remote", remote).addKeyValue("rooms", names.size()).log("SSE stream opened");
        backbone.offIoThread(stream::startSubscriptions);
    }

    private void refuse(HttpServerExchange exchange, ErrorCode code, String message) {
        metrics.refused(code.wire());
        JsonErrors.send(exchange, JsonErrors.status(code), code, message);
    }

    /**
     * Graceful drain: every stream gets a {@code reconnect} event and a jittered {@code retry:}
     * delay, then ends; its {@code EventSource} reconnects (through the load balancer, to another
     * edge) with its {@code Last-Event-ID} and loses nothing. New requests get 503.
     */
    public void drain() {
        draining = true;
        long spread = Math.max(1, backbone.config().drainDelay().toMillis());
        for (SseStream s : streams) {
            long delay = ThreadLocalRandom.current().nextLong(spread);
            s.channel().force("{\"op\":\"reconnect\",\"reason\":\"drain\",\"delayMs\":" + delay + "}", "reconnect", null);
            s.channel().retry(Math.max(RETRY_MILLIS, delay));
            s.end("drain");
        }
    }

    public int streams() {
        return streams.size();
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            if (now - lastEpochCheckNanos >= backbone.config().topicCacheTtl().toNanos()) {
                lastEpochCheckNanos = now;
                streams.forEach(this::endSubscriptionsOfOldEpochs);
            }
            long wallNow = System.currentTimeMillis();
            long writeTimeout = backbone.config().writeTimeout().toNanos();
            for (SseStream s : streams) {
                if (wallNow > s.deadlineMillis()) {
                    s.end("token_expired");
                } else if (s.channel().queued() > 0 && now - s.channel().lastProgressNanos() > writeTimeout) {
                    s.abort("stalled");
                }
            }
        } catch (RuntimeException e) {
            log.atError().setCause(e).log("SSE sweep failed");
        }
    }

    /**
     * As the WebSocket's {@code EpochWatch}: a subscription whose room's epoch changed (topic
     * re-created, partitions added) ends, so the stream ends with a notice and the client resumes
     * with its {@code Last-Event-ID} and learns of the gap. The epoch is cached per namespace.
     */
    private void endSubscriptionsOfOldEpochs(SseStream stream) {
        for (Subscription sub : stream.subscriptions()) {
            io.roomcast.position.Epoch now;
            try {
                now = backbone.topics().info(sub.location().namespace()).epoch();
            } catch (RuntimeException e) {
                return; // Kafka unreachable: the next round checks again
            }
            if (!now.equals(sub.location().epoch())) {
                sub.epochChanged(now);
            }
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        streams.forEach(s -> s.channel().close());
    }
}
