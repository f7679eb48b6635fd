package io.roomcast.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A client of Roomcast edges: subscribe to rooms, publish events, and never write reconnection logic yourself.
 *
 * <pre>{@code
 * RoomcastClient client = RoomcastClient.connect(URI.create("ws://localhost:8080/ws"), ClientOptions.ofDefaults());
 * Subscription sub = client.subscribe("chat:lobby", From.last(50), event -> show(event.data()));
 * long offset = client.publish("chat:lobby", Map.of("text", "hi")).join();
 * client.close();
 * }</pre>
 *
 * <p><b>Connection.</b> {@code connect} returns at once and connects in the background ({@link #opened()} completes on
 * the first open connection). A lost connection is retried with exponential backoff and full jitter
 * ({@link BackoffPolicy}), each attempt going to the next of the given edges, round-robin, so a client fails over to
 * another edge when one dies. An app-level {@code ping} goes out every {@link ClientOptions#pingInterval()}; no
 * {@code pong} within {@link ClientOptions#pongTimeout()} counts as a lost connection. The client stops for good on
 * {@link #close()} and on fatal errors: close code 1000, 1002, 1003, 1007, 1008, 1009 or 4400-4999, a handshake refused with
 * HTTP 403, and {@code unauthorized} (close 4401, HTTP 401 or an {@code unauthorized} error without request id) unless
 * the {@link ClientOptions#tokenSupplier() token supplier} now gives a different token, with which it reconnects. With
 * a token, the client also refreshes it on the open connection ({@code auth} frame) once 80 % of its lifetime has
 * passed, asking the supplier for the new one. See {@link ConnectionState}.
 *
 * <p><b>Delivery.</b> On every reconnect each subscription resumes with {@code after} its own position and epoch, and
 * events at or below that position are dropped, so an event is delivered at most once per subscription and, when the
 * edge answers {@code recovered:true}, none is missed. When history was lost the listener is told through
 * {@link SubscriptionListener#onGap(Gap)}, never silently. Per subscription, callbacks run one at a time in offset
 * order on the listener executor ({@link ClientOptions#listenerExecutor()}: by default one thread per client named
 * {@code roomcast-client-N-listener}).
 *
 * <p><b>Publish.</b> {@link #publish} completes with the event's offset once the edge acked it (after Kafka did), or
 * fails with a {@link RoomcastException} carrying the {@link ErrorCode}. Publishes made while disconnected wait in a
 * bounded queue ({@link ClientOptions#publishQueueLimit()}) for at most {@link ClientOptions#publishTimeout()}. One
 * that was sent but not acked when the connection broke may or may not have been written: with an
 * {@link PublishOptions#eventId() eventId} it goes back to the front of the queue (in call order, ahead of later
 * publishes) and is sent again on the next connection marked {@code retry}, so the edge acks the first write's offset
 * instead of writing it twice (within the edge's dedupe window); without one it fails with
 * {@link ErrorCode#CONNECTION_LOST}. {@code publishTimeout} counts from the call across all attempts. Futures complete
 * on the listener executor.
 *
 * <p>Thread-safe; every buffer is bounded. Threads: one loop thread and one listener thread per client (unless
 * injected), plus the JDK HTTP client's, shared by all clients of a JVM unless {@link ClientOptions#httpClient()} is set.
 */
public final class RoomcastClient implements AutoCloseable {

    private final ClientEngine engine;

    private RoomcastClient(ClientEngine engine) {
        this.engine = engine;
    }

    /** Connects to one edge, for example {@code ws://localhost:8080/ws}. */
    public static RoomcastClient connect(URI edge, ClientOptions options) {
        return connect(List.of(edge), options);
    }

    /** Connects to any of several edges, tried round-robin: the first, then on each reconnect the next one. */
    public static RoomcastClient connect(List<URI> edges, ClientOptions options) {
        HttpClient http = options.httpClient().orElseGet(SharedHttpClient::get);
        int maxQueuedFrames = options.publishQueueLimit() + 2 * options.maxSubscriptions() + 64;
        Transport transport = new JdkWebSocketTransport(http, options.maxFrameBytes(), options.maxInboundFrameChars(),
                maxQueuedFrames);
        return connect(edges, options, transport);
    }

    /** For tests: a client over any transport. */
    static RoomcastClient connect(List<URI> edges, ClientOptions options, Transport transport) {
        ClientEngine engine = new ClientEngine(List.copyOf(edges), options, transport, new ClientThreads(options));
        engine.start();
        return new RoomcastClient(engine);
    }

    /**
     * Subscribes to {@code room} from {@code from}; the subscription lives across reconnects until
     * {@link Subscription#unsubscribe()}. At most one subscription per room and client.
     *
     * @throws IllegalArgumentException for an invalid room name
     * @throws IllegalStateException    when the room is already subscribed
     * @throws RoomcastException        {@link ErrorCode#CLOSED} after close, {@link ErrorCode#LIMIT_EXCEEDED} above
     *                                  {@link ClientOptions#maxSubscriptions()}
     */
    public Subscription subscribe(String room, From from, SubscriptionListener listener) {
        return engine.subscribe(room, SubscribeOptions.from(from), listener);
    }

    /**
     * Subscribes with a backpressure policy for this subscription instead of the namespace's; with a lossy policy,
     * skipped live events are reported through {@link SubscriptionListener#onGap(Gap)} (reason {@code dropped}).
     */
    public Subscription subscribe(String room, From from, DeliveryPolicy policy, SubscriptionListener listener) {
        return engine.subscribe(room, SubscribeOptions.from(from).withPolicy(policy), listener);
    }

    /**
     * Subscribes with {@link SubscribeOptions}: a start point, a policy, and the collaboration flags (presence with a
     * display name, ephemeral signals, a compact history).
     */
    public Subscription subscribe(String room, SubscribeOptions options, SubscriptionListener listener) {
        return engine.subscribe(room, options, listener);
    }

    /** Subscribes to live events only. */
    public Subscription subscribe(String room, SubscriptionListener listener) {
        return subscribe(room, From.latest(), listener);
    }

    /**
     * Publishes {@code data} (a Jackson {@code JsonNode} or any object Jackson can convert; null is JSON null) to
     * {@code room}. The future completes with the event's offset or fails with a {@link RoomcastException}; it is
     * never left pending longer than {@link ClientOptions#publishTimeout()}. A publish with an event id survives a lost
     * connection (it is resent marked {@code retry}); one without fails with {@link ErrorCode#CONNECTION_LOST}.
     *
     * @throws IllegalArgumentException for an invalid room name or data Jackson cannot convert
     */
    public CompletableFuture<Long> publish(String room, Object data, PublishOptions options) {
        return engine.publish(room, data, options);
    }

    /**
     * Publishes an ephemeral signal (typing, cursor position) of {@code type}: delivered live to the room's
     * subscriptions with {@link SubscribeOptions#ephemeral()}, never stored or replayed. Completes once Kafka has it;
     * it has no offset. Fails with {@link ErrorCode#CONNECTION_LOST} when the connection breaks first (never resent),
     * {@code forbidden} in namespaces without signals, {@code too_large} above 2 KiB, {@code rate_limited}.
     *
     * @throws IllegalArgumentException for an invalid room name or type, or data Jackson cannot convert
     */
    public CompletableFuture<Void> publishEphemeral(String room, String type, Object data) {
        return engine.publishEphemeral(room, type, data);
    }

    /**
     * Who is in {@code room} now (the connection need not be subscribed). Waits for a connection like a publish, at
     * most {@link ClientOptions#publishTimeout()}; a question whose connection was lost is asked again.
     */
    public CompletableFuture<Presence> presence(String room) {
        return engine.presence(room);
    }

    /** Publishes with type {@code message}. */
    public CompletableFuture<Long> publish(String room, Object data) {
        return publish(room, data, PublishOptions.ofDefaults());
    }

    public ConnectionState state() {
        return engine.state();
    }

    /** The edge of the open connection, or null while not {@link ConnectionState#OPEN}. */
    public URI connectedEdge() {
        return engine.connectedEdge();
    }

    /** The edges this client rotates over, as it uses them (with {@code /ws} added where no path was given). */
    public List<URI> edges() {
        return engine.edges();
    }

    /** Completes when the first connection opens; fails when the client closes before that. */
    public CompletableFuture<Void> opened() {
        return engine.opened();
    }

    /**
     * Adds a listener of state changes; it hears about the changes that happen after this call (a listener that must
     * hear the first {@code OPEN} goes into {@link ClientOptions.Builder#stateListener}).
     */
    public void addStateListener(StateListener listener) {
        engine.stateListeners().add(listener);
    }

    public void removeStateListener(StateListener listener) {
        engine.stateListeners().remove(listener);
    }

    /**
     * Closes the connection (close code 1000), fails unfinished publishes with {@link ErrorCode#CLOSED}, ends every
     * subscription and stops the client's own threads, waiting a few seconds for them unless called from one of them.
     * Events received but not yet handed to a subscription's listener are dropped: no subscription callback starts
     * once this has returned (one already running may finish; called from a listener, its own callback is that one).
     * Idempotent.
     */
    @Override
    public void close() {
        engine.close();
    }

    /** One JDK HTTP client for all Roomcast clients of the JVM: Java 17's HttpClient cannot be closed. */
    private static final class SharedHttpClient {
        private static final HttpClient INSTANCE = HttpClient.newHttpClient();

        static HttpClient get() {
            return INSTANCE;
        }
    }
}
