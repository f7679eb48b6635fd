package io.roomcast.edge.session;

import io.roomcast.edge.Backbone;
import io.roomcast.edge.auth.AuthException;
import io.roomcast.edge.auth.Principal;
import io.roomcast.edge.ephemeral.SessionEphemeral;
import io.roomcast.edge.presence.Member;
import io.roomcast.edge.presence.SessionPresence;
import io.roomcast.edge.snapshot.RoomSnapshot;
import io.roomcast.edge.snapshot.Snapshots;
import io.roomcast.edge.protocol.ClientFrame;
import io.roomcast.edge.protocol.CloseCode;
import io.roomcast.edge.protocol.ErrorCode;
import io.roomcast.edge.protocol.ServerFrames;
import io.roomcast.edge.subscription.ReadPermits;
import io.roomcast.edge.subscription.Subscription;
import io.roomcast.edge.subscription.SubscriptionEvents;
import io.roomcast.edge.publish.PublishRefusal;
import io.roomcast.edge.publish.Publishing;
import io.roomcast.room.RoomName;
import io.roomcast.room.UnknownNamespaceException;
import io.roomcast.topic.KafkaUnavailableException;
import io.roomcast.topic.RoomLocation;
import io.roomcast.topic.TopicRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.edge.limit.RateLimit;
import io.roomcast.edge.subscription.SubscriptionStatus;
import io.roomcast.event.RoomEvent;
import io.roomcast.live.LivePositionLostException;
import io.roomcast.position.Epoch;
import io.roomcast.position.StartPoint;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One WebSocket connection: its requests, its subscriptions (at most one per room, bounded in
 * number) and its bounded outbound buffer.
 *
 * <p>Threading: {@link #handle} runs on the connection's IO thread and never blocks: anything
 * that may wait (topic lookups, publishes, catch-ups) goes to the backbone's worker executor.
 */
public final class Session {
    private static final Logger log = LoggerFactory.getLogger(Session.class);

    private final String id;
    private final String remote;
    private final WebSocketChannel channel;
    private final Outbound outbound;
    private final Backbone backbone;
    private final SessionMetrics metrics;
    private final Map<RoomName, Slot> subscriptions = new ConcurrentHashMap<>();
    private final ReadPermits readPermits;
    private final RateLimit frameLimit;
    private final RateLimit publishLimit;
    private final AtomicInteger strikes = new AtomicInteger();
    private final SessionPresence presence;
    private final SessionEphemeral ephemeral;
    private volatile long lastReceivedNanos = System.nanoTime();
    private volatile long lastPingNanos = System.nanoTime();
    private volatile Principal principal;
    private volatile long authDeadlineMillis = Long.MAX_VALUE;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicBoolean abandoned = new java.util.concurrent.atomic.AtomicBoolean();

    public Session(String id, String remote, WebSocketChannel channel, Backbone backbone, SessionMetrics metrics,
                   OutboundMetrics outboundMetrics, IoFlusher.PerThread flushers) {
        this.id = id;
        this.remote = remote;
        this.channel = channel;
        this.backbone = backbone;
        this.metrics = metrics;
        this.outbound = new Outbound(channel, flushers.of(channel.getIoThread()), backbone.config().outboundLimit(),
                backbone.config().maxFrameBytes(), outboundMetrics, this::flooded);
        this.readPermits = new ReadPermits(backbone.config().historyLimits().readsPerConnection());
        this.frameLimit = new RateLimit(backbone.config().framesPerSecond());
        this.publishLimit = new RateLimit(backbone.config().publishesPerSecond());
        this.presence = new SessionPresence(backbone.presence(), id, outbound, java.time.Clock.systemUTC());
        this.ephemeral = new SessionEphemeral(backbone.ephemeral(), backbone.presence().clientId(id), outbound);
    }

    /**
     * Sets who this connection speaks for ({@code null}: anonymous) and when it must be closed
     * unless it refreshes its token: the token's expiry, or a short grace for an anonymous
     * connection on an edge that admits no anonymous clients.
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

    /** Epoch ms after which the connection is closed with 4401 unless it authenticates again. */
    public long authDeadlineMillis() {
        return authDeadlineMillis;
    }

    public String remote() {
        return remote;
    }

    /** Records that the client sent something (a frame or a pong): it is alive. */
    public void touch() {
        lastReceivedNanos = System.nanoTime();
    }

    public long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    public long lastPingNanos() {
        return lastPingNanos;
    }

    /** Sends a WebSocket ping control frame. The heartbeat sweep's thread. */
    public void ping() {
        lastPingNanos = System.nanoTime();
        outbound.ping();
    }

    /** Answers the client's ping, after the frames queued before it. The IO thread. */
    void pong(java.nio.ByteBuffer payload) {
        outbound.pong(payload);
    }

    /** The client closed: its close frame is echoed after the frames already on their way. The IO thread. */
    void closedByClient(CloseMessage message) {
        outbound.thenRun(() -> {
            if (!channel.isCloseFrameSent()) {
                WebSockets.sendClose(message, channel, null);
            }
        });
    }

    public SessionStatus status() {
        List<SubscriptionStatus> subs = subscriptions.values().stream().map(Slot::status).filter(java.util.Objects::nonNull).toList();
        return new SessionStatus(id, remote, outbound.queued(), outbound.queuedBytes(), subs);
    }

    public String id() {
        return id;
    }

    public Outbound outbound() {
        return outbound;
    }

    /** Ends the subscriptions whose room's epoch is no longer the one they started in (see {@link EpochWatch}). */
    void endSubscriptionsOfOldEpochs(TopicRegistry topics) {
        for (Slot slot : subscriptions.values()) {
            Subscription sub = slot.subscription();
            if (sub == null) {
                continue;
            }
            Epoch now;
            try {
                now = topics.info(sub.location().namespace()).epoch(); // cached per namespace: no lookup per subscription
            } catch (RuntimeException e) {
                return; // Kafka unreachable: the next round checks again
            }
            if (!now.equals(sub.location().epoch())) {
                sub.epochChanged(now);
            }
        }
    }

    public int subscriptionCount() {
        return subscriptions.size();
    }

    public void handle(ClientFrame frame) {
        if (closed) {
            return;
        }
        if (!frameLimit.tryAcquire()) {
            rateLimited(frame.id(), "too many requests; slow down");
            return;
        }
        if (frame instanceof ClientFrame.Ping ping) {
            outbound.force(ServerFrames.pong(ping.id()));
        } else if (frame instanceof ClientFrame.Subscribe s) {
            subscribe(s);
        } else if (frame instanceof ClientFrame.Unsubscribe u) {
            unsubscribe(u);
        } else if (frame instanceof ClientFrame.Publish p) {
            publish(p);
        } else if (frame instanceof ClientFrame.Presence q) {
            presenceQuery(q);
        } else if (frame instanceof ClientFrame.Auth auth) {
            authenticate(auth);
        } else if (frame instanceof ClientFrame.Invalid bad) {
            error(bad.id(), bad.room(), bad.code(), bad.message());
        }
    }

    private void rateLimited(JsonNode requestId, String message) {
        if (strikes.incrementAndGet() > backbone.config().rateLimitStrikes()) {
            log.atWarn().addKeyValue("session", id).addKeyValue("remote", remote).log("closing a connection that keeps exceeding its rate limit");
            close(CloseCode.RATE_LIMITED);
            closed = true;
            return;
        }
        error(requestId, null, ErrorCode.RATE_LIMITED, message);
    }

    private void authenticate(ClientFrame.Auth auth) {
        var security = backbone.security();
        if (security.open()) {
            outbound.force(ServerFrames.authed(auth.id(), -1));
            return;
        }
        Runnable verify = () -> {
            Principal next;
            try {
                next = security.authenticator().authenticate(auth.token());
            } catch (AuthException e) {
                error(auth.id(), null, e.errorCode(), "token refused: " + e.reason().wire());
                return;
            }
            var decision = security.access().refresh(principal, next);
            if (!decision.allowed()) {
                error(auth.id(), null, decision.code(), decision.message());
                return;
            }
            authenticated(next);
            outbound.force(ServerFrames.authed(auth.id(), next.expiresAt().toEpochMilli()));
            subscriptions.forEach((room, slot) -> {
                var still = security.access().subscribe(next, room);
                if (!still.allowed() && subscriptions.remove(room, slot)) {
                    slot.end();
                    leaveExtras(room);
                    error(null, room.value(), still.code(), still.message());
                }
            });
        };
        if (security.authenticator().mayBlock()) {
            execute(auth.id(), null, null, verify);
        } else {
            verify.run();
        }
    }

    private void subscribe(ClientFrame.Subscribe s) {
        var access = backbone.security().access().subscribe(principal, s.room());
        if (!access.allowed()) {
            error(s.id(), s.room().value(), access.code(), access.message());
            return;
        }
        if (subscriptions.containsKey(s.room())) {
            error(s.id(), s.room().value(), ErrorCode.BAD_REQUEST, "already subscribed to " + s.room());
            return;
        }
        if (subscriptions.size() >= backbone.config().maxSubscriptionsPerConnection()) {
            error(s.id(), s.room().value(), ErrorCode.LIMIT_EXCEEDED,
                    "at most " + backbone.config().maxSubscriptionsPerConnection() + " subscriptions per connection");
            return;
        }
        Member member = null;
        if (s.ephemeral() && !ephemeral.allowed(s.room())) {
            error(s.id(), s.room().value(), ErrorCode.FORBIDDEN, "namespace \"" + s.room().namespace() + "\" does not allow ephemeral events");
            return;
        }
        if (s.presence()) {
            try {
                Principal p = principal;
                member = presence.member(p == null || p.subject().isEmpty() ? null : p.subject(), p == null ? null : p.name(), s.name());
            } catch (IllegalArgumentException e) {
                error(s.id(), s.room().value(), ErrorCode.BAD_REQUEST, "invalid name: " + e.getMessage());
                return;
            }
            if (!presence.mayWrite()) {
                rateLimited(s.id(), "too many presence changes; slow down");
                return;
            }
        }
        Member present = member;
        // The slot reserves the room at once, so a second subscribe in the same batch is refused.
        Slot slot = new Slot();
        subscriptions.put(s.room(), slot);
        execute(s.id(), s.room(), slot, () -> {
            RoomLocation location;
            try {
                location = backbone.topics().locate(s.room());
            } catch (UnknownNamespaceException e) {
                subscriptions.remove(s.room(), slot);
                error(s.id(), s.room().value(), ErrorCode.BAD_REQUEST, e.getMessage());
                return;
            } catch (KafkaUnavailableException e) {
                subscriptions.remove(s.room(), slot);
                error(s.id(), s.room().value(), ErrorCode.UNAVAILABLE, "Kafka is unavailable; retry");
                return;
            }
            Subscription sub = new Subscription(backbone, outbound, location, s.snapshot() ? snapshotStart(s, location) : s.from(), s.id(),
                    s.policy() != null ? s.policy() : location.namespace().policy(), readPermits, new Events(s, slot, present));
            if (!slot.fill(sub) || closed) {
                sub.close();
                return;
            }
            if (s.compact()) {
                sub.compactHistory();
            }
            sub.start();
        });
    }

    /**
     * Presence and ephemeral signals of a new subscription, once {@code subscribed} went out (so they
     * follow it); a failure is a notice, the subscription itself stays. Runs on a worker thread.
     */
    private void enterExtras(ClientFrame.Subscribe s, Member member, Slot slot) {
        if (!s.ephemeral() && member == null) {
            return;
        }
        if (s.ephemeral()) {
            ephemeral.listen(s.room()).exceptionally(e -> {
                ephemeral.stop(s.room());
                error(null, s.room().value(), ErrorCode.UNAVAILABLE, "ephemeral events are unavailable; resubscribe to retry");
                return null;
            });
        }
        if (member != null) {
            presence.enter(s.room(), member).exceptionally(e -> {
                presence.leave(s.room());
                error(null, s.room().value(), ErrorCode.UNAVAILABLE, "presence is unavailable; resubscribe to retry");
                return null;
            });
        }
        // Unsubscribed or disconnected meanwhile: its clean-up may have run before the entry above.
        if (closed || subscriptions.get(s.room()) != slot) {
            leaveExtras(s.room());
        }
    }

    /**
     * {@code from:"snapshot"}: sends the room's newest snapshot and starts after its offset (in the
     * snapshot's epoch, so a snapshot of another history ends in a gap); without one, or when the
     * snapshot topic cannot be read, the subscription starts at {@code earliest}. Worker thread.
     */
    private StartPoint snapshotStart(ClientFrame.Subscribe s, RoomLocation location) {
        Optional<RoomSnapshot> found;
        try {
            found = backbone.snapshots().latest(s.room());
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("session", id).addKeyValue("room", s.room()).setCause(e).log("snapshot lookup failed; replaying from earliest");
            return s.from();
        }
        if (found.isEmpty()) {
            return s.from();
        }
        Epoch epoch = found.get().epoch() != null ? found.get().epoch() : location.epoch();
        outbound.force(Snapshots.frame(s.id(), s.room(), found.get(), epoch));
        return new StartPoint.After(found.get().offset(), epoch);
    }

    private void leaveExtras(RoomName room) {
        presence.leave(room);
        ephemeral.stop(room);
    }

    private void presenceQuery(ClientFrame.Presence q) {
        var access = backbone.security().access().subscribe(principal, q.room());
        if (!access.allowed()) {
            error(q.id(), q.room().value(), access.code(), access.message());
            return;
        }
        execute(q.id(), q.room(), null, () -> presence.query(q.id(), q.room()).whenComplete((frame, failure) -> {
            if (frame != null) {
                outbound.force(frame);
            } else {
                error(q.id(), q.room().value(), ErrorCode.UNAVAILABLE, "presence is unavailable; retry");
            }
        }));
    }

    private void publishEphemeral(ClientFrame.Publish p) {
        var access = backbone.security().access().publish(principal, p.room());
        if (!access.allowed()) {
            error(p.id(), p.room().value(), access.code(), access.message());
            return;
        }
        SessionEphemeral.Refusal refusal = ephemeral.check(p.room(), p.data());
        if (refusal != null) {
            if (refusal.code() == ErrorCode.RATE_LIMITED) {
                rateLimited(p.id(), refusal.message());
            } else {
                error(p.id(), p.room().value(), refusal.code(), refusal.message());
            }
            return;
        }
        execute(p.id(), p.room(), null, () -> ephemeral.publish(p.room(), p.type(), p.data()).whenComplete((ok, failure) -> {
            if (failure == null) {
                outbound.force(SessionEphemeral.ack(p.id(), p.room()));
            } else {
                error(p.id(), p.room().value(), ErrorCode.UNAVAILABLE, "Kafka did not take the ephemeral event; retry");
            }
        }));
    }

    private void unsubscribe(ClientFrame.Unsubscribe u) {
        Slot slot = subscriptions.remove(u.room());
        if (slot == null) {
            error(u.id(), u.room().value(), ErrorCode.BAD_REQUEST, "not subscribed to " + u.room());
            return;
        }
        // Ending a subscription takes its lock, which live dispatch may hold while it waits on this
        // connection's channel: never on the IO thread.
        offIoThread(() -> {
            slot.end();
            leaveExtras(u.room());
            metrics.unsubscribed();
            outbound.force(ServerFrames.unsubscribed(u.id(), u.room()));
        });
    }

    private void publish(ClientFrame.Publish p) {
        if (p.ephemeral()) {
            publishEphemeral(p);
            return;
        }
        if (!publishLimit.tryAcquire()) {
            rateLimited(p.id(), "too many publishes; slow down");
            return;
        }
        var access = backbone.security().access().publish(principal, p.room());
        if (!access.allowed()) {
            error(p.id(), p.room().value(), access.code(), access.message());
            return;
        }
        if (p.data().length > backbone.config().maxPayloadBytes()) {
            error(p.id(), p.room().value(), ErrorCode.TOO_LARGE, "data is larger than " + backbone.config().maxPayloadBytes() + " bytes");
            return;
        }
        var publishing = backbone.publishing();
        var admitted = publishing.admit(principal, remote, p.room(), p.type());
        if (!admitted.allowed()) {
            error(p.id(), p.room().value(), admitted.code(), admitted.message());
            return;
        }
        var request = new Publishing.Request(p.room(), p.type(), p.data(), p.eventId(), p.retry(),
                publishing.scope(principal, p.publisherKey(), id));
        execute(p.id(), p.room(), null, () -> publishing.publish(request)
                .whenComplete((outcome, failure) -> {
                    if (failure == null) {
                        metrics.published(outcome.duplicate());
                        outbound.force(ServerFrames.ack(p.id(), p.room(), outcome.offset(), outcome.duplicate()));
                        return;
                    }
                    PublishRefusal refusal = PublishRefusal.of(failure);
                    if (refusal.expected()) {
                        log.atDebug().addKeyValue("session", id).addKeyValue("room", p.room()).addKeyValue("code", refusal.code().wire())
                                .addKeyValue("reason", refusal.message()).log("publish refused");
                    } else {
                        log.atError().addKeyValue("session", id).addKeyValue("room", p.room()).setCause(failure).log("publish failed");
                    }
                    error(p.id(), p.room().value(), refusal.code(), refusal.message());
                }));
    }

    private void execute(JsonNode requestId, RoomName room, Slot slot, Runnable work) {
        try {
            backbone.worker().execute(work);
        } catch (RejectedExecutionException e) {
            if (slot != null) {
                subscriptions.remove(room, slot);
            }
            error(requestId, room == null ? null : room.value(), ErrorCode.UNAVAILABLE, "edge is overloaded; retry");
        }
    }

    private void error(JsonNode requestId, String room, ErrorCode code, String message) {
        metrics.error(code);
        outbound.force(ServerFrames.error(requestId, room, code, message));
    }

    private void offIoThread(Runnable work) {
        try {
            backbone.worker().execute(work);
        } catch (RejectedExecutionException e) {
            // Worker saturated or stopped: a dedicated short-lived thread still keeps the IO thread free.
            Thread t = new Thread(work, "roomcast-session-close");
            t.setDaemon(true);
            t.start();
        }
    }

    /** Closes the connection with a catalogued code. */
    public void close(CloseCode code) {
        close(code, code.reason());
    }

    /**
     * Closes the connection with a catalogued code and a specific reason text, after the frames
     * already queued for it (a drain's {@code reconnect}, an error). Any thread.
     */
    public void close(CloseCode code, String reason) {
        outbound.thenRun(() -> WebSockets.sendClose(code.code(), reason, channel, null));
    }

    /**
     * Closes a connection whose peer may not read anything any more: sends the close frame, then
     * drops the TCP connection after a grace period whatever the peer does. Any thread; only the
     * first call acts (the sweep sees the connection again until it is gone): true when this one did.
     */
    public boolean abandon(CloseCode code) {
        return abandon(code, () -> { });
    }

    /**
     * As {@link #abandon(CloseCode)}; {@code counted} runs once, when this call is the one that
     * abandons, before the close frame is queued (so a metric counts the close before the client
     * can see it).
     */
    public boolean abandon(CloseCode code, Runnable counted) {
        if (!abandoned.compareAndSet(false, true)) {
            return false;
        }
        counted.run();
        closed = true;
        close(code);
        channel.getIoThread().executeAfter(() -> org.xnio.IoUtils.safeClose(channel), 2, java.util.concurrent.TimeUnit.SECONDS);
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

    /** Called once when the connection is gone: ends every subscription. */
    public void closed() {
        closed = true;
        outbound.closed();
        List<Slot> slots = List.copyOf(subscriptions.values());
        subscriptions.clear();
        // Runs in Undertow's close task, which holds the channel's lock: a live dispatch holding a
        // subscription's lock may be waiting for it, so the subscriptions end on a worker thread.
        offIoThread(() -> {
            slots.forEach(Slot::end);
            presence.leaveAll();
            ephemeral.stopAll();
        });
    }

    private final class Events implements SubscriptionEvents {
        private final ClientFrame.Subscribe request;
        private final Slot slot;
        /** The connection's presence in the room, or null without {@code "presence":true}. */
        private final Member member;
        /** Once {@code subscribed} went out, a failure is a notice about the room, not an answer to the request. */
        private volatile boolean answered;

        Events(ClientFrame.Subscribe request, Slot slot, Member member) {
            this.request = request;
            this.slot = slot;
            this.member = member;
        }

        @Override
        public void subscribed(Subscription s) {
            answered = true;
            metrics.subscribed();
            enterExtras(request, member, slot);
        }

        @Override
        public void replayed(int count, boolean fromCache) {
            metrics.replayed(count, fromCache);
        }

        @Override
        public void deliveredLive(RoomEvent event) {
            metrics.deliveredLive(event);
        }

        @Override
        public void dropped(int count) {
            metrics.dropped(count);
        }

        @Override
        public void lagging(Subscription s) {
            metrics.lagging();
        }

        @Override
        public void handoverOverflowed(Subscription s) {
            metrics.handoverOverflowed();
        }

        @Override
        public void failed(Subscription s, Throwable cause) {
            subscriptions.remove(request.room(), slot);
            leaveExtras(request.room());
            boolean lost = cause instanceof LivePositionLostException;
            boolean kafka = cause instanceof KafkaUnavailableException || cause instanceof KafkaException
                    || cause instanceof RejectedExecutionException;
            if (lost) {
                log.atInfo().addKeyValue("session", id).addKeyValue("room", request.room()).addKeyValue("reason", cause.getMessage())
                        .log("subscription ended: live position lost");
            } else if (!kafka) {
                log.atError().addKeyValue("session", id).addKeyValue("remote", remote).addKeyValue("room", request.room())
                        .setCause(cause).log("subscription failed");
            }
            String message = lost ? cause.getMessage() + "; subscribe again from your last position to learn what was lost"
                    : cause instanceof RejectedExecutionException ? "edge is overloaded (" + cause.getMessage() + "); resubscribe to resume"
                    : kafka ? "Kafka is unavailable; resubscribe to resume" : "subscription failed";
            // Once answered, a failure is a notice about the room (no id), which makes clients resume.
            error(answered ? null : request.id(), request.room().value(), lost || kafka ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL,
                    message);
        }
    }

    /** A room's place in this session: reserved at subscribe, filled once the room is located. */
    private static final class Slot {
        private Subscription subscription;
        private boolean ended;

        synchronized boolean fill(Subscription s) {
            if (ended) {
                return false;
            }
            subscription = s;
            return true;
        }

        synchronized Subscription subscription() {
            return ended ? null : subscription;
        }

        synchronized SubscriptionStatus status() {
            return subscription == null || ended ? null : subscription.status();
        }

        synchronized void end() {
            ended = true;
            if (subscription != null) {
                subscription.close();
            }
        }
    }
}
