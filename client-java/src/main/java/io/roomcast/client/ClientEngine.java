package io.roomcast.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.client.InboundFrame.AckFrame;
import io.roomcast.client.InboundFrame.ErrorFrame;
import io.roomcast.client.InboundFrame.EventFrame;
import io.roomcast.client.InboundFrame.LiveFrame;
import io.roomcast.client.InboundFrame.ReconnectFrame;
import io.roomcast.client.InboundFrame.SubscribedFrame;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol logic of one client: the connection's life (attempts round-robin over the edges with backoff,
 * heartbeat, close codes), subscriptions that resume exactly after every reconnect, and publishes with acks. All its
 * state is owned by one loop (a {@link SerialExecutor} over the scheduler); transport callbacks, timers and
 * application calls reach it as tasks, so there are no locks. Callbacks to the application leave through
 * {@link ClientThreads}' listener executor.
 */
final class ClientEngine {

    private static final Logger log = LoggerFactory.getLogger(ClientEngine.class);
    private static final int MAX_LOGGED_PROBLEMS = 5;

    private final ClientOptions options;
    private final Transport transport;
    private final ClientThreads threads;
    private final FrameCodec codec;
    private final ConnectionStateMachine states = new ConnectionStateMachine();
    private final StateListeners stateListeners;
    private final AtomicLong ids = new AtomicLong();
    private final SubscriptionTable subscriptions;
    private final PublishQueue publishes;
    private final PresenceQueries queries;
    private final DeliveryBudget budget;
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    /** The transport waits for {@code request()} because the delivery budget was spent. */
    private final AtomicBoolean readingPaused = new AtomicBoolean();

    // loop-owned
    private final EdgeRotation edges;
    private final ReconnectSchedule reconnects;
    private final Heartbeat heartbeat;
    private Transport.Connection connection;
    private long generation;
    private ScheduledFuture<?> reconnectTimer;
    private ScheduledFuture<?> tickTimer;
    private ScheduledFuture<?> refreshTimer;
    /** The token of the current connection (attempt), sent in its first frame. */
    private String connectionToken;
    private long authRequestId = -1;
    /** The current connection waits for {@code authed} before it counts as open. */
    private boolean awaitingAuth;
    /** The edge accepted a token on the current connection: a later 4401 means it expired. */
    private boolean authedOnce;
    private ScheduledFuture<?> authTimer;
    /**
     * When the edge asked this connection to move on ({@code reconnect}, a drain), the time to do so; null otherwise.
     * Until then requests already sent are still answered here, and new ones wait for the next connection.
     */
    private Instant drainAt;
    private ScheduledFuture<?> drainTimer;
    /** Spaces publishes at the edge's rate; null when the options turn pacing off. */
    private final PublishPacer pacer;
    /**
     * Ids of this connection's unsubscribe requests, and of the subscribe requests they overtook, not answered yet
     * (loop-owned): an error answering one (the edge had ended or refused the subscription meanwhile) is expected, not
     * news for the error listener. At most {@code 2 × maxSubscriptions}, the oldest forgotten first.
     */
    private final Set<Long> unsubscribing = new LinkedHashSet<>();
    /** The next paced send of queued publishes, while some wait for the pacer. */
    private ScheduledFuture<?> paceTimer;

    private volatile URI connectedEdge;
    /** {@link #close()} was called: no subscription callback starts from then on (a fatal error lets the last ones run). */
    private volatile boolean closedByUser;

    ClientEngine(List<URI> edgeUris, ClientOptions options, Transport transport, ClientThreads threads) {
        this.options = options;
        this.transport = transport;
        this.threads = threads;
        this.edges = new EdgeRotation(edgeUris);
        this.codec = new FrameCodec(options.objectMapper());
        this.stateListeners = new StateListeners(threads.callbacks());
        options.stateListeners().forEach(stateListeners::add);
        this.subscriptions = new SubscriptionTable(options.maxSubscriptions());
        this.publishes = new PublishQueue(options.publishQueueLimit());
        this.pacer = options.publishesPerSecond() == 0 ? null : new PublishPacer(options.publishesPerSecond());
        this.queries = new PresenceQueries(options.publishQueueLimit());
        this.budget = new DeliveryBudget(options.maxBufferedEvents(), () -> threads.loop().execute(this::resumeReading));
        this.reconnects = new ReconnectSchedule(options.backoff(), options.random());
        this.heartbeat = new Heartbeat(options.pingInterval(), options.pongTimeout());
    }

    void start() {
        Duration period = Heartbeat.tickPeriod(options.pingInterval(), options.pongTimeout(), options.publishTimeout());
        threads.loop().execute(() -> {
            tickTimer = threads.scheduler().scheduleAtFixedRate(() -> threads.loop().execute(this::tick),
                    period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
            attemptConnect();
        });
    }

    // ---- application calls (any thread) ----

    Subscription subscribe(String room, SubscribeOptions subscribeOptions, SubscriptionListener listener) {
        RoomNames.requireValid(room);
        if (subscribeOptions == null || listener == null) {
            throw new NullPointerException("options and listener are required");
        }
        requireNotClosed();
        RoomSubscription sub = new RoomSubscription(room, subscribeOptions, listener, threads.listenerExecutor(), budget,
                this::unsubscribed, this::reportError, () -> closedByUser);
        subscriptions.add(sub);
        threads.loop().execute(() -> {
            if (states.current() == ConnectionState.CLOSED) {
                subscriptions.remove(sub);
                sub.end();
                sub.deliverError(new ClientError(ErrorCode.CLOSED, "client closed", room));
            } else if (ready() && sub.status() == RoomSubscription.Status.NEW && !sub.isUnsubscribed()) {
                sendSubscribe(sub);
            }
        });
        return sub;
    }

    CompletableFuture<Long> publish(String room, Object data, PublishOptions publishOptions) {
        RoomNames.requireValid(room);
        if (publishOptions == null) {
            throw new NullPointerException("publishOptions");
        }
        if (states.current() == ConnectionState.CLOSED) {
            return failed(ErrorCode.CLOSED, "client closed", room);
        }
        JsonNode json = codec.toJson(data);
        return submit(room, id -> new PendingPublish(id, room, publishOptions.eventId(), publishOptions.retry(),
                codec.publish(id, room, publishOptions, json), new CompletableFuture<>(),
                options.clock().instant().plus(options.publishTimeout())));
    }

    /** An ephemeral publish: completes once Kafka has the signal; fails like a publish without eventId. */
    CompletableFuture<Void> publishEphemeral(String room, String type, Object data) {
        RoomNames.requireValid(room);
        PublishOptions checked = PublishOptions.ofType(type); // validates the type
        if (states.current() == ConnectionState.CLOSED) {
            return failed(ErrorCode.CLOSED, "client closed", room).thenApply(o -> null);
        }
        JsonNode json = codec.toJson(data);
        return submit(room, id -> new PendingPublish(id, room, null, false,
                codec.publishEphemeral(id, room, checked.type(), json), new CompletableFuture<>(),
                options.clock().instant().plus(options.publishTimeout()))).thenApply(o -> null);
    }

    /**
     * Reserves a place in the publish queue, builds the frame under a fresh request id and hands it
     * to the loop, which sends it once connected. The caller's thread; fails at once when the queue
     * is full or the frame is above {@code maxFrameBytes}.
     */
    private CompletableFuture<Long> submit(String room, LongFunction<PendingPublish> build) {
        if (!publishes.tryReserve()) {
            return failed(ErrorCode.QUEUE_FULL, "publish queue full (" + options.publishQueueLimit() + " unfinished)", room);
        }
        PendingPublish pending = build.apply(ids.incrementAndGet());
        if (pending.largestFrameBytes() > options.maxFrameBytes()) {
            publishes.unreserve();
            return failed(ErrorCode.TOO_LARGE, "publish frame above maxFrameBytes " + options.maxFrameBytes(), room);
        }
        threads.loop().execute(() -> {
            if (states.current() == ConnectionState.CLOSED) {
                publishes.unreserve();
                fail(pending, new ClientError(ErrorCode.CLOSED, "client closed", room));
                return;
            }
            publishes.enqueue(pending);
            if (ready()) {
                flushPublishes();
            }
        });
        return pending.result();
    }

    /** Asks the edge who is in {@code room}; waits for a connection like a publish, within the publish timeout. */
    CompletableFuture<Presence> presence(String room) {
        RoomNames.requireValid(room);
        if (states.current() == ConnectionState.CLOSED) {
            return CompletableFuture.failedFuture(new ClientError(ErrorCode.CLOSED, "client closed", room).toException());
        }
        CompletableFuture<Presence> result = new CompletableFuture<>();
        threads.loop().execute(() -> {
            if (states.current() == ConnectionState.CLOSED) {
                threads.callbacks().execute(() -> result.completeExceptionally(
                        new ClientError(ErrorCode.CLOSED, "client closed", room).toException()));
                return;
            }
            PresenceQueries.Query q = queries.add(room, result, options.clock().instant().plus(options.publishTimeout()));
            if (q == null) {
                threads.callbacks().execute(() -> result.completeExceptionally(new ClientError(ErrorCode.QUEUE_FULL,
                        "too many presence queries waiting", room).toException()));
            } else if (ready()) {
                sendQueries();
            }
        });
        return result;
    }

    void close() {
        // set on the caller's thread, before close() returns, whichever thread runs the loop
        closedByUser = true;
        threads.loop().execute(() -> shutdown(null));
        threads.awaitTermination();
    }

    ConnectionState state() {
        return states.current();
    }

    URI connectedEdge() {
        return connectedEdge;
    }

    List<URI> edges() {
        return edges.edges();
    }

    CompletableFuture<Void> opened() {
        return opened;
    }

    StateListeners stateListeners() {
        return stateListeners;
    }

    private void expectAnswer(long requestId) {
        if (unsubscribing.size() >= 2 * options.maxSubscriptions()) {
            unsubscribing.remove(unsubscribing.iterator().next());
        }
        unsubscribing.add(requestId);
    }

    private void unsubscribed(RoomSubscription sub) {
        subscriptions.remove(sub);
        threads.loop().execute(() -> {
            if (connection != null && sub.status() != RoomSubscription.Status.NEW) {
                long id = ids.incrementAndGet();
                if (sub.status() == RoomSubscription.Status.PENDING) {
                    // its subscribe may still be refused: that answer is no news either
                    expectAnswer(sub.requestId());
                }
                expectAnswer(id);
                connection.send(codec.unsubscribe(id, sub.room()));
            }
            subscriptions.forget(sub);
        });
    }

    // ---- connection life (loop) ----

    private void attemptConnect() {
        reconnectTimer = null;
        if (states.current() == ConnectionState.CLOSED) {
            return;
        }
        URI edge = edges.next();
        long gen = ++generation;
        try {
            String token;
            try {
                token = options.tokenSupplier().map(s -> s.get()).orElse(null);
                if (token != null && token.isEmpty() || token == null && options.tokenRenews()) {
                    throw new IllegalStateException("the token supplier gave no token");
                }
            } catch (RuntimeException e) {
                reportError(new ClientError(ErrorCode.TOKEN_PROVIDER, "token supplier failed: " + e.getMessage(), null));
                connectionLost(new ClientError(ErrorCode.TOKEN_PROVIDER, "token supplier failed: " + e, null), null, false);
                return;
            }
            connectionToken = token;
            // the token goes in the first frame, not the URL: URLs end up in proxy and access logs
            URI uri = options.tokenInUrl() ? EdgeRotation.withToken(edge, token) : edge;
            log.atDebug().addKeyValue("edge", edge).log("connecting");
            transport.connect(uri, options.connectTimeout(), new ConnectionHandler(gen))
                    .whenComplete((c, error) -> threads.loop().execute(() -> connected(gen, edge, c, error)));
        } catch (RuntimeException e) {
            connectionLost(new ClientError(ErrorCode.CONNECTION_LOST, "could not connect to " + edge + ": " + e, null),
                    null, false);
        }
    }

    private void connected(long gen, URI edge, Transport.Connection c, Throwable error) {
        if (gen != generation || states.current() == ConnectionState.CLOSED) {
            if (c != null) {
                c.abort();
            }
            return;
        }
        if (error != null) {
            ClientError cause = connectError(edge, error);
            if (cause.code() == ErrorCode.UNAUTHORIZED) {
                unauthorized(cause);
            } else if (cause.code() == ErrorCode.FORBIDDEN) {
                shutdown(cause);
            } else {
                connectionLost(cause, null, false);
            }
            return;
        }
        Instant now = options.clock().instant();
        connection = c;
        if (pacer != null) {
            pacer.reset();
        }
        connectedEdge = edge;
        authedOnce = false;
        heartbeat.opened(now);
        if (connectionToken != null) {
            // Requests wait for authed: an edge that verifies tokens on a worker thread (JWKS) could otherwise take
            // them before the token. The answer also tells when the token expires, so it is refreshed in time.
            awaitingAuth = true;
            sendAuth(connectionToken);
            authTimer = schedule(options.connectTimeout(), () -> {
                if (gen == generation && awaitingAuth) {
                    connectionLost(new ClientError(ErrorCode.CONNECTION_LOST, "no answer to auth from " + edge, null),
                            null, false);
                }
            });
        } else {
            becomeOpen();
        }
        if (budget.spent()) {
            readingPaused.set(true); // the budget's relief will request
        } else {
            c.request();
        }
    }

    /** The connection may carry requests: resubscribe, flush what waited, tell the application. */
    private void becomeOpen() {
        awaitingAuth = false;
        cancel(authTimer);
        reconnects.opened(options.clock().instant());
        log.atInfo().addKeyValue("edge", connectedEdge).addKeyValue("subscriptions", subscriptions.all().size())
                .log("connected");
        stateListeners.publish(states.moveTo(ConnectionState.OPEN, connectedEdge, null));
        threads.callbacks().execute(() -> opened.complete(null));
        for (RoomSubscription sub : subscriptions.all()) {
            if (!sub.isUnsubscribed()) {
                sendSubscribe(sub);
            }
        }
        flushPublishes();
        sendQueries();
    }

    /** A connection that may carry requests: open, its token (if any) accepted, and not draining. */
    private boolean ready() {
        return connection != null && !awaitingAuth && drainAt == null;
    }

    private void reportError(ClientError error) {
        options.errorListener().ifPresent(l -> threads.callbacks().execute(() -> l.accept(error)));
    }

    private static ClientError connectError(URI edge, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof WebSocketHandshakeException handshake) {
            int status = handshake.getResponse().statusCode();
            String text = "edge " + edge + " refused the WebSocket handshake with HTTP " + status;
            if (status == 401) {
                return new ClientError(ErrorCode.UNAUTHORIZED, text, null);
            }
            if (status == 403) {
                return new ClientError(ErrorCode.FORBIDDEN, text, null);
            }
            return new ClientError(ErrorCode.CONNECTION_LOST, text, null);
        }
        return new ClientError(ErrorCode.CONNECTION_LOST, "could not connect to " + edge + ": " + cause, null);
    }

    /**
     * The edge closed with 4401 or refused the token. When a token had been accepted on this connection it expired:
     * a supplier that renews tokens gives a new one on the reconnect (which resumes). Otherwise retrying would be
     * refused the same way, so the client closes.
     */
    private void unauthorized(ClientError cause) {
        if (authedOnce && options.tokenRenews()) {
            connectionLost(cause, null, false);
        } else {
            shutdown(cause);
        }
    }

    private void sendAuth(String token) {
        authRequestId = ids.incrementAndGet();
        connection.send(codec.auth(authRequestId, token));
    }

    private void onAuthed(InboundFrame.AuthedFrame a) {
        if (a.id() == null || a.id() != authRequestId) {
            return;
        }
        authedOnce = true;
        if (awaitingAuth) {
            becomeOpen();
        }
        if (a.expiresAt() == null || a.expiresAt() < 0 || !options.tokenRenews()) {
            return; // an edge without authentication answers -1: the token never expires there
        }
        cancel(refreshTimer);
        Duration delay = TokenRefresh.delay(options.clock().instant(), a.expiresAt());
        long gen = generation;
        refreshTimer = schedule(delay, () -> {
            if (gen != generation || connection == null) {
                return;
            }
            try {
                String token = options.tokenSupplier().map(s -> s.get()).orElse(null);
                if (token == null || token.isEmpty()) {
                    throw new IllegalStateException("the token supplier gave no token");
                }
                connectionToken = token;
                sendAuth(token);
            } catch (RuntimeException e) {
                log.atWarn().setCause(e).log("token supplier failed; the edge will close at the token's expiry");
                reportError(new ClientError(ErrorCode.TOKEN_PROVIDER, "token supplier failed: " + e.getMessage(), null));
            }
        });
    }

    /**
     * The connection is gone or must go: drop it, queue in-flight publishes with an event id again (to be resent
     * marked {@code retry}) and fail the others (they may or may not be written), and try again after {@code delay}
     * (null: the backoff schedule's next delay) on the next edge.
     */
    private void connectionLost(ClientError cause, Duration delay, boolean polite) {
        if (states.current() == ConnectionState.CLOSED) {
            return;
        }
        URI edge = connectedEdge;
        // A draining edge that closes before the time it named: the next connection still opens then.
        Duration untilDrained = drainAt == null ? null : Duration.between(options.clock().instant(), drainAt);
        dropConnection(polite ? CloseCodes.NORMAL : -1);
        for (PendingPublish p : publishes.connectionLost()) {
            fail(p, new ClientError(ErrorCode.CONNECTION_LOST,
                    "connection lost before the ack; the event may have been written (without an eventId it is not"
                            + " resent)", p.room()).about(p, true));
        }
        subscriptions.connectionLost();
        queries.connectionLost(); // a question is safe to ask again on the next connection
        if (states.current() == ConnectionState.OPEN) {
            stateListeners.publish(states.moveTo(ConnectionState.RECONNECTING, null, cause));
        }
        Duration wait = delay != null ? delay
                : untilDrained != null ? (untilDrained.isNegative() ? Duration.ZERO : untilDrained)
                : reconnects.nextDelay(options.clock().instant());
        log.atInfo().addKeyValue("edge", edge).addKeyValue("delayMs", wait.toMillis())
                .addKeyValue("attempt", reconnects.attempt()).addKeyValue("cause", cause.message())
                .log("connection lost; reconnecting");
        reconnectTimer = schedule(wait, this::attemptConnect);
    }

    private void dropConnection(int closeCode) {
        generation++;
        unsubscribing.clear();
        cancel(refreshTimer);
        cancel(authTimer);
        cancel(drainTimer);
        drainAt = null;
        awaitingAuth = false;
        if (connection != null) {
            if (closeCode > 0) {
                connection.close(closeCode, "client going");
            } else {
                connection.abort();
            }
        }
        connection = null;
        connectedEdge = null;
        heartbeat.stopped();
    }

    /** Ends the client: by {@link #close()} ({@code cause} null) or a fatal error. */
    private void shutdown(ClientError cause) {
        StateChange change = states.moveTo(ConnectionState.CLOSED, null, cause);
        if (change == null) {
            return;
        }
        stateListeners.publish(change);
        cancel(reconnectTimer);
        cancel(tickTimer);
        dropConnection(cause == null ? CloseCodes.NORMAL : -1);
        ClientError ending = cause != null ? cause : new ClientError(ErrorCode.CLOSED, "client closed", null);
        for (PublishQueue.Unfinished u : publishes.removeAll()) {
            fail(u.publish(), new ClientError(ending.code(), ending.message(), u.publish().room()).about(u.publish(), u.maybeWritten()));
        }
        for (PresenceQueries.Query q : queries.removeAll()) {
            threads.callbacks().execute(() -> q.result().completeExceptionally(
                    new ClientError(ending.code(), ending.message(), q.room()).toException()));
        }
        for (RoomSubscription sub : subscriptions.removeAll()) {
            sub.end();
            if (cause != null) {
                // the events already received still reach the listener, then the error that ended it
                sub.deliverError(new ClientError(cause.code(), cause.message(), sub.room()));
            }
        }
        threads.callbacks().execute(() -> opened.completeExceptionally(ending.toException()));
        if (cause != null) {
            log.atWarn().addKeyValue("code", cause.code().wireName()).addKeyValue("cause", cause.message())
                    .log("client closed by a fatal error");
        } else {
            log.atDebug().log("client closed");
        }
        threads.shutdown();
    }

    private void tick() {
        Instant now = options.clock().instant();
        for (PublishQueue.Unfinished u : publishes.expired(now)) {
            String why = u.maybeWritten() ? "; it may still be written" : "; it was not sent, so not written";
            fail(u.publish(), new ClientError(ErrorCode.TIMEOUT, "no ack within " + options.publishTimeout().toMillis() + " ms" + why,
                    u.publish().room()).about(u.publish(), u.maybeWritten()));
        }
        for (PresenceQueries.Query q : queries.expired(now)) {
            threads.callbacks().execute(() -> q.result().completeExceptionally(new ClientError(ErrorCode.TIMEOUT,
                    "no presence answer within " + options.publishTimeout().toMillis() + " ms", q.room()).toException()));
        }
        if (connection == null) {
            return;
        }
        switch (heartbeat.tick(now, readingPaused.get())) {
            case SEND_PING -> {
                long id = ids.incrementAndGet();
                connection.send(codec.ping(id));
                heartbeat.pingSent(id, now);
            }
            case DEAD -> connectionLost(new ClientError(ErrorCode.CONNECTION_LOST,
                    "no pong within " + options.pongTimeout().toMillis() + " ms from " + connectedEdge, null), null, false);
            case NONE -> { }
        }
    }

    /** The delivery backlog is down to half: the transport that waits for a request gets it. */
    private void resumeReading() {
        readingPaused.set(false);
        if (connection != null) {
            connection.request();
        }
    }

    // ---- frames (loop) ----

    private void onMessage(String text) {
        FrameCodec.Parsed parsed = codec.parse(text);
        int logged = 0;
        for (String problem : parsed.problems()) {
            if (logged++ < MAX_LOGGED_PROBLEMS) {
                log.atWarn().addKeyValue("edge", connectedEdge).addKeyValue("problem", problem)
                        .log("frame from edge ignored");
            }
            if (!problem.contains("unknown op")) {
                reportError(new ClientError(ErrorCode.PROTOCOL, "frame from the edge ignored: " + problem, null));
            }
        }
        heartbeat.received();
        long gen = generation;
        for (InboundFrame frame : parsed.frames()) {
            if (gen != generation) {
                return; // a frame of this batch ended the connection; the rest belongs to a dead connection
            }
            dispatch(frame);
        }
    }

    private void dispatch(InboundFrame frame) {
        if (frame instanceof EventFrame e) {
            onEvent(e.event());
        } else if (frame instanceof SubscribedFrame s) {
            onSubscribed(s);
        } else if (frame instanceof LiveFrame l) {
            RoomSubscription sub = activeSubscription(l.room());
            if (sub != null) {
                sub.cursor().onLive(l.offset());
                sub.deliverLive(l.offset());
            }
        } else if (frame instanceof AckFrame a) {
            PendingPublish p = publishes.answered(a.id());
            if (p != null) {
                Long offset = a.ephemeral() ? null : a.offset(); // a signal has no offset
                threads.callbacks().execute(() -> p.result().complete(offset));
            }
        } else if (frame instanceof InboundFrame.EphemeralFrame e) {
            RoomSubscription sub = activeSubscription(e.event().room());
            if (sub != null && sub.options().ephemeral()) {
                sub.deliverEphemeral(e.event()); // no offset: the position stays
            }
        } else if (frame instanceof InboundFrame.PartialFrame p) {
            RoomSubscription sub = activeSubscription(p.partial().room());
            if (sub != null) {
                sub.cursor().onPartial(p.partial().offset());
                sub.deliverPartial(p.partial());
            }
        } else if (frame instanceof InboundFrame.SnapshotFrame s) {
            RoomSubscription sub = subscriptions.awaiting(s.id());
            if (sub != null && sub.room().equals(s.snapshot().room()) && !sub.isUnsubscribed()) {
                sub.cursor().onSnapshot(s.snapshot().offset(), s.snapshot().epoch());
                sub.deliverSnapshot(s.snapshot());
            }
        } else if (frame instanceof InboundFrame.MembershipFrame m) {
            RoomSubscription sub = activeSubscription(m.room());
            if (sub != null && sub.options().presence()) {
                sub.deliverMembership(m.joined(), m.member(), m.count());
            }
        } else if (frame instanceof InboundFrame.SyncFrame y) {
            RoomSubscription sub = activeSubscription(y.room());
            if (sub != null && sub.options().presence()) {
                sub.deliverSync(y.count());
            }
        } else if (frame instanceof InboundFrame.PresenceFrame p) {
            onPresence(p);
        } else if (frame instanceof InboundFrame.UnsubscribedFrame u) {
            unsubscribing.remove(u.id());
        } else if (frame instanceof ErrorFrame e) {
            onError(e);
        } else if (frame instanceof InboundFrame.DroppedFrame d) {
            RoomSubscription sub = activeSubscription(d.room());
            if (sub != null) {
                log.atInfo().addKeyValue("room", d.room()).addKeyValue("count", d.count())
                        .addKeyValue("first", d.first()).addKeyValue("last", d.last()).log("edge dropped live events");
                sub.deliverGap(sub.cursor().onDropped(d.count(), d.first(), d.last()));
            }
        } else if (frame instanceof InboundFrame.AuthedFrame a) {
            onAuthed(a);
        } else if (frame instanceof ReconnectFrame r) {
            drain(r);
        }
        // unsubscribed needs nothing: the subscription was forgotten when the application unsubscribed; nor does pong:
        // every message is a sign of life (onMessage)
    }

    /**
     * The edge is draining: the connection is kept for {@code delayMs} (at least the backoff's floor), so the acks
     * of publishes in flight still arrive, then left; the next connection opens at once. If the edge closes first,
     * the next one still opens at that time.
     */
    private void drain(ReconnectFrame r) {
        Duration delay = Duration.ofMillis(Math.max(r.delayMs(), options.backoff().initialDelay().toMillis()));
        drainAt = options.clock().instant().plus(delay);
        cancel(drainTimer);
        long gen = generation;
        ClientError cause = new ClientError(ErrorCode.CONNECTION_LOST, "edge asked to reconnect (" + r.reason() + ")", null);
        drainTimer = schedule(delay, () -> {
            if (gen == generation) {
                connectionLost(cause, Duration.ZERO, true);
            }
        });
    }

    private void onSubscribed(SubscribedFrame s) {
        RoomSubscription sub = subscriptions.answered(s.id());
        if (sub == null || !sub.room().equals(s.room()) || sub.isUnsubscribed()) {
            log.atDebug().addKeyValue("room", s.room()).addKeyValue("id", s.id()).log("stale subscribed ignored");
            return;
        }
        RoomCursor.SubscribedOutcome outcome = sub.cursor().onSubscribed(s.epoch(), s.recovered(), s.gap());
        sub.active();
        sub.presenceRestarts();
        if (outcome.gap() != null) {
            log.atWarn().addKeyValue("room", sub.room()).addKeyValue("reason", outcome.gap().reason())
                    .addKeyValue("after", outcome.gap().after()).addKeyValue("resumeAt", outcome.gap().resumeAt())
                    .log("history lost; the subscription continues after a gap");
        }
        sub.deliverSubscribed(outcome.subscribed(), outcome.gap());
    }

    private void onEvent(RoomEvent event) {
        RoomSubscription sub = activeSubscription(event.room());
        if (sub == null) {
            return;
        }
        if (sub.cursor().accept(event.offset())) {
            sub.deliverEvent(event);
        } else {
            log.atDebug().addKeyValue("room", event.room()).addKeyValue("offset", event.offset())
                    .log("duplicate event dropped");
        }
    }

    private RoomSubscription activeSubscription(String room) {
        RoomSubscription sub = subscriptions.get(room);
        // before its subscribed frame a room's events belong to an earlier subscription of the same room
        return sub != null && sub.status() == RoomSubscription.Status.ACTIVE && !sub.isUnsubscribed() ? sub : null;
    }

    private void onPresence(InboundFrame.PresenceFrame p) {
        if (p.id() != null) {
            PresenceQueries.Query q = queries.answered(p.id());
            if (q != null) {
                Presence answer = new Presence(p.room(), p.members() == null ? List.of() : p.members(), p.count(),
                        p.members() != null);
                threads.callbacks().execute(() -> q.result().complete(answer));
            }
            return;
        }
        RoomSubscription sub = activeSubscription(p.room());
        if (sub != null && sub.options().presence()) {
            sub.deliverPresenceNotice(p.members(), p.count());
        }
    }

    private void onError(ErrorFrame e) {
        ErrorCode code = ErrorCode.fromWire(e.code());
        String message = code == ErrorCode.UNKNOWN ? "edge error '" + e.code() + "': " + e.message() : e.message();
        ClientError error = new ClientError(code, message, e.room());
        if (code == ErrorCode.OUTCOME_UNKNOWN && publishes.resendAsRetry(e.id())) {
            flushPublishes();
            return;
        }
        if (e.id() != null && unsubscribing.remove(e.id())) {
            log.atDebug().addKeyValue("room", e.room()).addKeyValue("code", e.code()).log("unsubscribe answered with an error; the subscription had ended");
            return;
        }
        PendingPublish p = publishes.answered(e.id());
        if (p != null) {
            fail(p, code == ErrorCode.OUTCOME_UNKNOWN && p.resendable()
                    ? new ClientError(code, message + "; publish it again later with eventId " + p.eventId() + " and retry", e.room())
                            .about(p, true)
                    : error.about(p, code == ErrorCode.OUTCOME_UNKNOWN));
            return;
        }
        PresenceQueries.Query q = queries.answered(e.id());
        if (q != null) {
            threads.callbacks().execute(() -> q.result().completeExceptionally(error.toException()));
            return;
        }
        RoomSubscription sub = subscriptions.answered(e.id());
        if (sub != null) {
            subscriptionRefused(sub, new ClientError(code, message, sub.room()));
            return;
        }
        if (e.id() != null && e.id() == authRequestId) {
            authRequestId = -1;
            if (awaitingAuth) {
                // the token of a new connection: a retryable refusal (keys unavailable) is tried again, any other is
                // final, since the same token would be refused the same way
                if (code.retryable()) {
                    reportError(error);
                    connectionLost(error, null, false);
                } else {
                    shutdown(error); // the closed state carries the refusal
                }
                return;
            }
            // a refresh: the current token stays in force until its expiry; then the edge closes with 4401 and the
            // client reconnects with a new token from its supplier
            log.atWarn().addKeyValue("code", e.code()).addKeyValue("message", e.message()).log("token refresh refused");
            reportError(error);
            return;
        }
        if (e.id() == null && code == ErrorCode.UNAUTHORIZED) {
            unauthorized(error);
            return;
        }
        RoomSubscription ended = e.id() == null && e.room() != null ? activeSubscription(e.room()) : null;
        if (ended != null) {
            // an error about a room without a request id ends that room's subscription (for example a refreshed
            // token that no longer allows it)
            subscriptionRefused(ended, error);
            return;
        }
        log.atWarn().addKeyValue("edge", connectedEdge).addKeyValue("code", e.code()).addKeyValue("id", e.id())
                .addKeyValue("message", e.message()).log("error from edge");
        reportError(error);
    }

    private void subscriptionRefused(RoomSubscription sub, ClientError error) {
        if (sub.isUnsubscribed()) {
            return;
        }
        sub.reset();
        if (error.code().retryable()) {
            Duration delay = options.backoff().delay(sub.nextRetry(), options.random());
            log.atWarn().addKeyValue("room", sub.room()).addKeyValue("code", error.code().wireName())
                    .addKeyValue("delayMs", delay.toMillis()).log("subscribe refused; retrying");
            sub.deliverError(error);
            schedule(delay, () -> {
                if (ready() && subscriptions.get(sub.room()) == sub
                        && sub.status() == RoomSubscription.Status.NEW && !sub.isUnsubscribed()) {
                    sendSubscribe(sub);
                }
            });
        } else {
            log.atWarn().addKeyValue("room", sub.room()).addKeyValue("code", error.code().wireName())
                    .addKeyValue("message", error.message()).log("subscribe refused; subscription ended");
            subscriptions.remove(sub);
            sub.end();
            sub.deliverError(error);
        }
    }

    // ---- helpers (loop) ----

    private void sendSubscribe(RoomSubscription sub) {
        long id = ids.incrementAndGet();
        From from = sub.cursor().nextFrom();
        subscriptions.pending(sub, id);
        connection.send(codec.subscribe(id, sub.room(), from, sub.options()));
    }

    private void sendQueries() {
        for (PresenceQueries.Query q : queries.drainForSending(ids::incrementAndGet)) {
            connection.send(codec.presence(q.id(), q.room()));
        }
    }

    /** Sends the queued publishes in call order, as many as the pacer lets go now; the rest when it lets them. */
    private void flushPublishes() {
        if (pacer == null) {
            for (PendingPublish p : publishes.drainForSending()) {
                connection.send(p.frame());
            }
            return;
        }
        // the pacer counts real time, as the edge and the scheduler do (the options' clock may be a test's)
        long now = TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
        while (publishes.queuedCount() > 0) {
            long wait = pacer.waitMillis(now);
            if (wait > 0) {
                if (paceTimer == null) {
                    paceTimer = schedule(Duration.ofMillis(wait), () -> {
                        paceTimer = null;
                        if (ready()) {
                            flushPublishes();
                        }
                    });
                }
                return;
            }
            connection.send(publishes.takeForSending().frame());
            pacer.sent(now);
        }
    }

    private void fail(PendingPublish p, ClientError error) {
        threads.callbacks().execute(() -> p.result().completeExceptionally(error.toException()));
    }

    private static CompletableFuture<Long> failed(ErrorCode code, String message, String room) {
        return CompletableFuture.failedFuture(new ClientError(code, message, room).toException());
    }

    private void requireNotClosed() {
        if (states.current() == ConnectionState.CLOSED) {
            throw new RoomcastException(ErrorCode.CLOSED, "client closed");
        }
    }

    private ScheduledFuture<?> schedule(Duration delay, Runnable task) {
        ScheduledExecutorService scheduler = threads.scheduler();
        try {
            return scheduler.schedule(() -> threads.loop().execute(task), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return null; // the client is closing
        }
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** Hands one connection's callbacks to the loop; callbacks of a replaced connection are ignored there. */
    private final class ConnectionHandler implements Transport.Handler {
        private final long gen;

        ConnectionHandler(long gen) {
            this.gen = gen;
        }

        /**
         * Runs on the transport's thread: queues the message for the loop, counted against the delivery budget until
         * the loop has handled it, and keeps reading unless the budget is spent.
         */
        @Override
        public boolean onText(String message) {
            budget.take();
            threads.loop().execute(() -> {
                try {
                    if (gen == generation && connection != null) {
                        onMessage(message);
                    }
                } finally {
                    budget.release();
                }
            });
            if (budget.spent()) {
                readingPaused.set(true);
                return false;
            }
            return true;
        }

        @Override
        public void onClosed(int code, String reason) {
            threads.loop().execute(() -> {
                if (gen != generation) {
                    return;
                }
                ClientError cause = CloseCodes.error(code, reason);
                if (CloseCodes.classify(code) == CloseCodes.Action.RECONNECT_WITH_NEW_TOKEN) {
                    unauthorized(cause);
                } else if (CloseCodes.classify(code) == CloseCodes.Action.STOP) {
                    shutdown(cause);
                } else {
                    connectionLost(cause, null, false);
                }
            });
        }

        @Override
        public void onFailure(Throwable error) {
            threads.loop().execute(() -> {
                if (gen != generation) {
                    return;
                }
                if (error instanceof FrameTooLargeException) {
                    shutdown(new ClientError(ErrorCode.TOO_LARGE, error.getMessage(), null));
                } else {
                    connectionLost(new ClientError(ErrorCode.CONNECTION_LOST,
                            "connection to " + connectedEdge + " failed: " + error, null), null, false);
                }
            });
        }
    }
}
