package io.roomcast.edge.session;

import io.micrometer.core.instrument.DistributionSummary;
import io.roomcast.edge.Backbone;
import io.roomcast.edge.auth.AuthException;
import io.roomcast.edge.auth.Principal;
import io.roomcast.edge.ephemeral.SessionEphemeral;
import io.roomcast.edge.limit.RateLimit;
import io.roomcast.edge.presence.SessionPresence;
import io.roomcast.edge.protocol.ClientFrame;
import io.roomcast.edge.protocol.CloseCode;
import io.roomcast.edge.protocol.ErrorCode;
import io.roomcast.edge.protocol.ServerFrames;
import io.roomcast.room.UnknownNamespaceException;
import io.roomcast.topic.TopicRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.StreamConnection;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One WebSocket connection: who it speaks for, whether it is alive, its bounded outbound buffer
 * and how it closes. It wires the parts that serve its requests: {@link Requests} (routing and
 * rate limits), {@link SessionSubscriptions} (with its {@link SubscriptionTable}),
 * {@link SessionPublishing}, and {@link Answers} (errors and rate-limit strikes).
 *
 * <p>Threading: {@link #handle} runs on the connection's IO thread and never blocks: anything
 * that may wait (topic lookups, publishes, catch-ups) goes to the backbone's worker executor.
 */
public final class Session {
    private static final Logger log = LoggerFactory.getLogger(Session.class);

    private final String id;
    private final String remote;
    private final StreamConnection connection;
    private final Outbound outbound;
    private final Backbone backbone;
    private final SessionMetrics metrics;
    private final SessionPresence presence;
    private final Answers answers;
    private final SessionSubscriptions subscriptions;
    private final Requests requests;
    private volatile long lastReceivedNanos = System.nanoTime();
    private volatile long lastPingNanos = System.nanoTime();
    private volatile Principal principal;
    private volatile long authDeadlineMillis = Long.MAX_VALUE;
    private volatile boolean closed;
    private static final AtomicIntegerFieldUpdater<Session> ABANDONED = AtomicIntegerFieldUpdater.newUpdater(Session.class, "abandoned");
    /** 1 once the connection was given up (a boolean; a field, not an atomic object, to keep idle connections small). */
    private volatile int abandoned;

    /** Called on the connection's IO thread, once Undertow's handshake upgraded it. */
    public Session(String id, String remote, StreamConnection connection, Backbone backbone, SessionMetrics metrics,
                   OutboundMetrics outboundMetrics, IoFlusher.PerThread flushers) {
        this.id = id;
        this.remote = remote;
        this.connection = connection;
        this.backbone = backbone;
        this.metrics = metrics;
        this.outbound = new Outbound(connection, flushers.of(connection.getIoThread()), backbone.config().outboundLimit(),
                backbone.config().maxFrameBytes(), outboundMetrics, this::flooded);
        this.presence = new SessionPresence(backbone.presence(), id, outbound, Clock.systemUTC());
        SessionEphemeral ephemeral = new SessionEphemeral(backbone.ephemeral(), backbone.topics().namespaces(), () -> backbone.presence().clientId(id), outbound);
        this.answers = new Answers(id, outbound, metrics, backbone.config().rateLimitStrikes(), this::closeRateLimited);
        this.subscriptions = new SessionSubscriptions(id, remote, backbone, outbound, answers, metrics, presence, ephemeral,
                () -> principal, () -> closed);
        SessionPublishing publishing = new SessionPublishing(id, remote, backbone, answers, metrics, ephemeral, () -> principal);
        this.requests = new Requests(new RateLimit(backbone.config().framesPerSecond()), new RateLimit(backbone.config().publishesPerSecond()),
                answers, new Requests.Handler() {
                    @Override
                    public void subscribe(ClientFrame.Subscribe s) {
                        subscriptions.subscribe(s);
                    }

                    @Override
                    public void unsubscribe(ClientFrame.Unsubscribe u) {
                        subscriptions.unsubscribe(u);
                    }

                    @Override
                    public void publish(ClientFrame.Publish p) {
                        publishing.publish(p);
                    }

                    @Override
                    public void publishEphemeral(ClientFrame.Publish p) {
                        publishing.publishEphemeral(p);
                    }

                    @Override
                    public void presence(ClientFrame.Presence q) {
                        presenceQuery(q);
                    }

                    @Override
                    public void auth(ClientFrame.Auth a) {
                        authenticate(a);
                    }
                });
    }

    /**
     * Sets who this connection speaks for ({@code null}: anonymous) and when it must be closed
     * unless it refreshes its token: the token's expiry, or a short grace for an anonymous
     * connection on an edge that admits no anonymous clients. The IO thread at connect; a worker
     * (or the IO thread) on an {@code auth} request.
     */
    public void authenticated(Principal p) {
        var security = backbone.security();
        principal = p;
        if (p != null) {
            authDeadlineMillis = security.access().deadline(p).toEpochMilli();
        } else if (!security.access().mayConnect(null)) {
            authDeadlineMillis = System.currentTimeMillis() + security.authGrace().toMillis();
        } else {
            authDeadlineMillis = Long.MAX_VALUE;
        }
    }

    /** Epoch ms after which the connection is closed with 4401 unless it authenticates again. Any thread (the heartbeat sweep). */
    public long authDeadlineMillis() {
        return authDeadlineMillis;
    }

    /** The client's address. Any thread. */
    public String remote() {
        return remote;
    }

    /** Records that the client sent something (a frame or a pong): it is alive. IO thread. */
    public void touch() {
        lastReceivedNanos = System.nanoTime();
    }

    /** When the client last sent something ({@link System#nanoTime()}). Any thread (the heartbeat sweep). */
    public long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    /** When the last ping went out ({@link System#nanoTime()}). Any thread (the heartbeat sweep). */
    public long lastPingNanos() {
        return lastPingNanos;
    }

    /** Sends a WebSocket ping control frame. The heartbeat sweep's thread. */
    public void ping() {
        lastPingNanos = System.nanoTime();
        outbound.ping();
    }

    /** Answers the client's ping, after the frames queued before it. The IO thread. */
    void pong(ByteBuffer payload) {
        outbound.pong(payload);
    }

    /** The client's close frame arrived ({@code code} -1: it had none): echoed, then the socket closes. The IO thread. */
    void closedByClient(int code, String reason) {
        outbound.closeReceived(code, reason);
    }

    /** The connection's buffer and subscriptions, for the admin endpoint and the heartbeat sweep. Any thread. */
    public SessionStatus status() {
        return new SessionStatus(id, remote, outbound.queued(), outbound.queuedBytes(), subscriptions.statuses());
    }

    /**
     * Records each subscription's lag into {@code lag} and returns their read-ahead total, allocating nothing per
     * subscription (unlike {@link #status()}). The heartbeat sweep.
     */
    long sampleLag(DistributionSummary lag) {
        return subscriptions.sampleLag(lag);
    }

    /** Any thread. */
    public String id() {
        return id;
    }

    /** Any thread. */
    public Outbound outbound() {
        return outbound;
    }

    /** Ends the subscriptions whose room's epoch is no longer the one they started in (see {@link EpochWatch}). Worker thread. */
    void endSubscriptionsOfOldEpochs(TopicRegistry topics) {
        subscriptions.endOldEpochs(topics);
    }

    /** Bytes queued for this connection and not yet taken by its socket. Any thread (the buffered-bytes gauge). */
    public long queuedBytes() {
        return outbound.queuedBytes();
    }

    /** Subscriptions held or being set up. Any thread (the subscriptions gauge). */
    public int subscriptionCount() {
        return subscriptions.count();
    }

    /** Serves one request. The connection's IO thread; never blocks. */
    public void handle(ClientFrame frame) {
        if (closed) {
            return;
        }
        requests.handle(frame);
    }

    /** The connection keeps exceeding its rate limits: closed as rate-limited, once. Any thread that answers a request. */
    private void closeRateLimited() {
        metrics.closedRateLimited();
        log.atWarn().addKeyValue("session", id).addKeyValue("remote", remote).log("closing a connection that keeps exceeding its rate limit");
        close(CloseCode.RATE_LIMITED);
    }

    /** An {@code auth} request: verifies the token (on a worker when the authenticator may block). IO thread. */
    private void authenticate(ClientFrame.Auth auth) {
        var security = backbone.security();
        if (security.open()) {
            answers.send(ServerFrames.authed(auth.id(), -1));
            return;
        }
        Runnable verify = () -> {
            Principal next;
            try {
                next = security.authenticator().authenticate(auth.token());
            } catch (AuthException e) {
                answers.refuse(auth.id(), null, e.errorCode(), "token refused: " + e.reason().wire());
                return;
            }
            var decision = security.access().refresh(principal, next);
            if (!decision.allowed()) {
                answers.refuse(auth.id(), null, decision.code(), decision.message());
                return;
            }
            authenticated(next);
            answers.send(ServerFrames.authed(auth.id(), next.expiresAt().toEpochMilli()));
            subscriptions.reauthorized(next);
        };
        if (security.authenticator().mayBlock()) {
            answers.execute(backbone.worker(), auth.id(), null, verify);
        } else {
            verify.run();
        }
    }

    /** A {@code presence} request: who is in the room, answered from a worker. IO thread. */
    private void presenceQuery(ClientFrame.Presence q) {
        var access = backbone.security().access().subscribe(principal, q.room());
        if (!access.allowed()) {
            answers.refuse(q.id(), q.room().value(), access.code(), access.message());
            return;
        }
        if (backbone.topics().namespaces().find(q.room().namespace()).isEmpty()) {
            answers.refuse(q.id(), q.room().value(), ErrorCode.BAD_REQUEST, new UnknownNamespaceException(q.room()).getMessage());
            return;
        }
        answers.execute(backbone.worker(), q.id(), q.room(), () -> presence.query(q.id(), q.room()).whenComplete((frame, failure) -> {
            if (frame != null) {
                answers.send(frame);
            } else {
                answers.refuse(q.id(), q.room().value(), ErrorCode.UNAVAILABLE, "presence is unavailable; retry");
            }
        }));
    }

    /** Closes the connection with a catalogued code. */
    public void close(CloseCode code) {
        close(code, code.reason());
    }

    /**
     * Closes the connection with a catalogued code and a specific reason text, after the frames
     * already queued for it (a drain's {@code reconnect}, an error). From now on the client's
     * requests are ignored: their answers could not be sent after the close frame, and a publish
     * would be written without its acknowledgement. Any thread.
     */
    public void close(CloseCode code, String reason) {
        closed = true;
        outbound.close(code.code(), reason);
    }

    /**
     * Closes a connection whose peer may not read anything any more: sends the close frame, then
     * drops the TCP connection after a grace period whatever the peer does. Any thread; only the
     * first call acts (the sweep sees the connection again until it is gone): true when this one did.
     */
    public boolean abandon(CloseCode code) {
        return abandon(code, () -> { });
    }

    /** Who this connection speaks for, or null (anonymous). Any thread. */
    public Principal principal() {
        return principal;
    }

    /**
     * As {@link #abandon(CloseCode)}; {@code counted} runs once, when this call is the one that
     * abandons, before the close frame is queued (so a metric counts the close before the client
     * can see it).
     */
    public boolean abandon(CloseCode code, Runnable counted) {
        return abandon(code, null, counted);
    }

    /** As {@link #abandon(CloseCode, Runnable)}, with a close reason of its own ({@code null}: the code's). Any thread. */
    public boolean abandon(CloseCode code, String reason, Runnable counted) {
        if (!ABANDONED.compareAndSet(this, 0, 1)) {
            return false;
        }
        counted.run();
        if (reason == null) {
            close(code);
        } else {
            close(code, reason);
        }
        outbound.hangUpAfterGrace();
        return true;
    }

    /** The client keeps sending requests while reading none of the answers: closed as rate-limited. */
    private void flooded() {
        abandon(CloseCode.RATE_LIMITED, () -> {
            metrics.flooded();
            log.atWarn().addKeyValue("session", id).addKeyValue("remote", remote)
                    .log("closing a connection whose unread answers exceed the control frame limit");
        });
    }

    /** Called once when the connection is gone: ends every subscription. The socket's close listener (IO thread). */
    public void closed() {
        closed = true;
        outbound.closed();
        subscriptions.close();
    }
}
