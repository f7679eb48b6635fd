package io.roomcast.edge.openai;

import io.micrometer.core.instrument.Gauge;
import io.roomcast.edge.limit.RateLimit;
import io.roomcast.edge.Backbone;
import io.roomcast.edge.auth.AuthException;
import io.roomcast.edge.auth.Decision;
import io.roomcast.edge.auth.Principal;
import io.roomcast.edge.http.ClientAddress;
import io.roomcast.edge.http.ConnectionCounts;
import io.roomcast.edge.http.DoorRefusal;
import io.roomcast.edge.http.HangUpWatch;
import io.roomcast.edge.http.IoThreadTasks;
import io.roomcast.edge.protocol.ErrorCode;
import io.roomcast.edge.sse.HttpPrincipal;
import io.roomcast.edge.sse.SseMetrics;
import io.roomcast.edge.subscription.ReadPermits;
import io.roomcast.edge.subscription.Subscription;
import io.roomcast.edge.subscription.SubscriptionEvents;
import io.roomcast.position.StartPoint;
import io.roomcast.edge.publish.Publishing;
import io.roomcast.publish.PublishException;
import io.roomcast.room.BackpressurePolicy;
import io.roomcast.room.RoomName;
import io.roomcast.room.UnknownNamespaceException;
import io.roomcast.topic.KafkaUnavailableException;
import io.roomcast.topic.RoomLocation;
import io.undertow.io.Receiver;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioExecutor;

import java.time.Duration;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The OpenAI-compatible endpoint: {@code POST /v1/chat/completions} publishes the request as a
 * {@code prompt} event into a room — the one named by the {@code X-Roomcast-Room} header or the
 * {@code room} field, else a fresh {@code chat:completion-<uuid>} — and answers with the room's
 * generation for that prompt, as {@code chat.completion.chunk} events (or one
 * {@code chat.completion} without {@code stream}). The answer is an ordinary room stream: every
 * member of the room sees it, and {@code GET /v1/chat/completions/{id}?starting_after=N} (or
 * {@code Last-Event-ID: N}) continues it from any edge after the chunk whose id is N.
 *
 * <p>Auth, as on the WebSocket: the bearer token (an SDK's API key) must allow publishing to and
 * subscribing to the room (an open edge ignores it). Rate limit: the edge's publishes per second,
 * per client address. Body limit: the edge's maximum frame size.
 *
 * <p>Threading: {@link #handleRequest} and the body callback run on the IO thread and only parse;
 * authentication, room lookup and publishing run on the backbone's worker executor.
 */
public final class ChatCompletions implements HttpHandler {
    /** Refusals at this endpoint's door, in OpenAI's shape (what its SDKs retry on). */
    public static final DoorRefusal DOOR = (exchange, code, message) -> OpenAiError.atDoor(code, message).send(exchange);

    private static final Logger log = LoggerFactory.getLogger(ChatCompletions.class);
    /** Longer than the model producer's bulkhead wait (60 s), after which it answers {@code overloaded} itself. */
    static final Duration FIRST_EVENT_TIMEOUT = Duration.ofSeconds(90);
    private static final int TRACKED_ADDRESSES = 10_000;

    private final Backbone backbone;
    private final SseMetrics metrics;
    private final ConnectionCounts counts;
    private final AtomicInteger followed = new AtomicInteger();
    private final Map<String, RateLimit> limiters;

    /**
     * @param counts the edge's open connections: an answer being followed is one (a long-lived
     *               request, as an SSE stream), so the edge's and each address's connection limits bound them
     */
    public ChatCompletions(Backbone backbone, SseMetrics metrics, ConnectionCounts counts) {
        this.backbone = backbone;
        this.metrics = metrics;
        this.counts = counts;
        Gauge.builder("roomcast.openai.answers", followed, AtomicInteger::get)
                .description("answers followed for /v1/chat/completions requests (counted as connections)").register(backbone.meters());
        this.limiters = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, RateLimit> eldest) {
                return size() > TRACKED_ADDRESSES;
            }
        });
        Gauge.builder("roomcast.openai.tracked.addresses", limiters, Map::size)
                .description("client addresses whose prompts are rate-limited (limit " + TRACKED_ADDRESSES + ", least recent forgotten)")
                .register(backbone.meters());
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String path = exchange.getRelativePath();
        if (!backbone.security().origins().allows(exchange.getRequestHeaders().getFirst(Headers.ORIGIN))) {
            refuse(exchange, new OpenAiError(403, "invalid_request_error", "origin_not_allowed", null, "Origin not allowed."));
            return;
        }
        if (path.isEmpty() || path.equals("/")) {
            if (!exchange.getRequestMethod().equals(Methods.POST)) {
                exchange.getResponseHeaders().put(Headers.ALLOW, "POST");
                refuse(exchange, new OpenAiError(405, "invalid_request_error", "method_not_allowed", null, "Use POST."));
                return;
            }
            receive(exchange);
        } else if (exchange.getRequestMethod().equals(Methods.GET)) {
            resume(exchange, path.substring(1));
        } else {
            refuse(exchange, new OpenAiError(405, "invalid_request_error", "method_not_allowed", null,
                    "Use GET /v1/chat/completions/{id}?starting_after=N to continue a streamed answer."));
        }
    }

    private void receive(HttpServerExchange exchange) {
        int max = backbone.config().maxFrameBytes();
        if (exchange.getRequestContentLength() > max) {
            refuse(exchange, tooLarge(max));
            return;
        }
        exchange.setMaxEntitySize(max);
        // A chunked body has no length to check above, and setMaxEntitySize comes too late for its decoder: bound the buffer.
        exchange.getRequestReceiver().setMaxBufferSize(max);
        exchange.getRequestReceiver().receiveFullBytes((ex, body) -> {
            ChatRequest request;
            try {
                request = ChatRequest.parse(body, ex.getRequestHeaders().getFirst("X-Roomcast-Room"));
            } catch (OpenAiError e) {
                refuse(ex, e);
                return;
            }
            if (!limiters.computeIfAbsent(clientKey(ex), a -> new RateLimit(backbone.config().publishesPerSecond())).tryAcquire()) {
                refuse(ex, new OpenAiError(429, "rate_limit_error", "rate_limit_exceeded", null,
                        "Rate limit reached: at most " + backbone.config().publishesPerSecond() + " requests per second per client."));
                return;
            }
            ex.dispatch(backbone.worker(), () -> publish(ex, request));
        }, (ex, e) -> refuse(ex, e instanceof RequestTooBigException || e instanceof Receiver.RequestToLargeException ? tooLarge(max)
                : new OpenAiError(400, "invalid_request_error", "invalid_body", null, "The request body could not be read.")));
    }

    /** On a worker: check access, locate the room, publish the prompt, then follow its answer. */
    private void publish(HttpServerExchange exchange, ChatRequest request) {
        RoomName room = request.room() != null ? request.room() : RoomName.of("chat:completion-" + UUID.randomUUID());
        Principal principal = principal(exchange);
        if (exchange.isResponseStarted()) {
            return; // refused
        }
        var access = backbone.security().access();
        for (Decision d : new Decision[]{access.publish(principal, room), access.subscribe(principal, room)}) {
            if (!d.allowed()) {
                refuse(exchange, denied(d));
                return;
            }
        }
        RoomLocation location = locate(exchange, room);
        if (location == null) {
            return;
        }
        byte[] data = request.promptData();
        if (data.length > backbone.config().maxPayloadBytes()) {
            refuse(exchange, tooLarge(backbone.config().maxPayloadBytes()));
            return;
        }
        Decision quota = backbone.publishing().admit(principal, clientKey(exchange), room, "prompt");
        if (!quota.allowed()) {
            refuse(exchange, new OpenAiError(429, "rate_limit_error", "rate_limit_exceeded", null, quota.message()));
            return;
        }
        exchange.dispatch(); // the answer is sent from other threads
        backbone.publishing().publish(new Publishing.Request(room, "prompt", data, null, false, null)).whenComplete((outcome, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                OpenAiError error = cause instanceof PublishException pe && pe.reason() == PublishException.Reason.TOO_LARGE
                        ? tooLarge(backbone.config().maxPayloadBytes())
                        : cause instanceof PublishException pe && pe.reason() == PublishException.Reason.OUTCOME_UNKNOWN
                        ? new OpenAiError(503, "server_error", "outcome_unknown", null,
                                "Kafka did not acknowledge the prompt; it may still be stored: look at the room before sending it again.")
                        : new OpenAiError(503, "server_error", "unavailable", null, "Kafka is unavailable; retry.");
                IoThreadTasks.execute(exchange, () -> Connectors.executeRootHandler(error::send, exchange));
                return;
            }
            CompletionId id = new CompletionId(room, location.epoch(), outcome.offset(), request.model());
            follow(exchange, location, id, new StartPoint.After(outcome.offset(), location.epoch()), -1, request.stream(),
                    request.includeUsage(), false);
        });
    }

    /** {@code GET /v1/chat/completions/{id}?starting_after=N}: the rest of a streamed answer. */
    private void resume(HttpServerExchange exchange, String rawId) {
        CompletionId id;
        long after;
        boolean includeUsage;
        try {
            id = CompletionId.parse(rawId);
            includeUsage = includeUsage(exchange.getQueryParameters().get("include_usage"));
            String from = exchange.getRequestHeaders().getFirst("Last-Event-ID");
            var param = exchange.getQueryParameters().get("starting_after");
            if (from == null && param != null && !param.isEmpty()) {
                from = param.getFirst();
            }
            after = from == null || from.isBlank() ? id.promptOffset() : Long.parseLong(from.trim());
        } catch (NumberFormatException e) {
            refuse(exchange, OpenAiError.invalid("starting_after", "starting_after must be the integer id of a chunk."));
            return;
        } catch (OpenAiError e) {
            refuse(exchange, e);
            return;
        } catch (IllegalArgumentException e) {
            refuse(exchange, new OpenAiError(404, "invalid_request_error", "completion_not_found", null, e.getMessage()));
            return;
        }
        if (after > StartPoint.MAX_POSITION || after < -1) {
            refuse(exchange, OpenAiError.invalid("starting_after", "starting_after must be the integer id of a chunk."));
            return;
        }
        long from = Math.max(after, id.promptOffset());
        exchange.dispatch(backbone.worker(), () -> {
            Principal principal = principal(exchange);
            if (exchange.isResponseStarted()) {
                return;
            }
            Decision d = backbone.security().access().subscribe(principal, id.room());
            if (!d.allowed()) {
                refuse(exchange, denied(d));
                return;
            }
            RoomLocation location = locate(exchange, id.room());
            if (location == null) {
                return;
            }
            if (!location.epoch().equals(id.epoch())) {
                refuse(exchange, new OpenAiError(404, "invalid_request_error", "completion_not_found", null,
                        "The room's history this completion belongs to is gone (its topic was re-created)."));
                return;
            }
            exchange.dispatch();
            // The whole answer is read again from its prompt and only what follows `from` is sent: a resume at or past the
            // answer's last chunk sees the end all the same (from there on it would wait for an end already behind it).
            follow(exchange, location, id, new StartPoint.After(id.promptOffset(), location.epoch()), from, true, includeUsage, true);
        });
    }

    /**
     * A resume's {@code include_usage}: the request's {@code stream_options.include_usage} is not in the log, so a
     * client that asked for the usage chunk asks again in the resume's URL.
     */
    private static boolean includeUsage(Deque<String> param) throws OpenAiError {
        String value = param == null || param.isEmpty() ? "false" : param.getFirst();
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw OpenAiError.invalid("include_usage", "include_usage must be true or false.");
        };
    }

    private void follow(HttpServerExchange exchange, RoomLocation location, CompletionId id, StartPoint from, long sentThrough,
                        boolean stream, boolean includeUsage, boolean resumed) {
        String generationId = location.partition().topic() + ":" + location.partition().partition() + ":" + id.promptOffset();
        AtomicBoolean over = new AtomicBoolean();
        Subscription[] subscription = new Subscription[1];
        XnioExecutor.Key[] timer = new XnioExecutor.Key[1];
        Runnable ended = () -> {
            if (!over.compareAndSet(false, true)) {
                return;
            }
            // Ending a subscription takes its lock, which live dispatch may hold: never on the IO thread.
            backbone.offIoThread(() -> {
                synchronized (timer) {
                    if (timer[0] != null) {
                        timer[0].remove();
                    }
                }
                if (subscription[0] != null) {
                    subscription[0].close();
                }
            });
        };
        CompletionStream answer = new CompletionStream(exchange, id, generationId, stream, includeUsage, resumed, sentThrough,
                backbone.config().outboundLimit(), backbone.config().pingInterval().toMillis(), metrics, ended);
        subscription[0] = new Subscription(backbone, answer, location, from, null, BackpressurePolicy.LOSSLESS,
                new ReadPermits(backbone.config().historyLimits().readsPerConnection()), events(answer));
        Runnable uncount = counts.opened(clientKey(exchange));
        followed.incrementAndGet();
        Runnable release = () -> {
            uncount.run();
            followed.decrementAndGet();
        };
        try {
            exchange.addExchangeCompleteListener((ex, next) -> {
                release.run();
                // Undertow holds the SSE connection's lock here, and live dispatch may hold the answer's
                // lock while it waits for that one (a deadlock seen in CI): end the answer off this thread.
                backbone.offIoThread(answer::gone);
                next.proceed();
            });
        } catch (IllegalStateException alreadyComplete) {
            release.run(); // the client left before its answer could be followed
            return;
        }
        if (!resumed) {
            synchronized (timer) {
                timer[0] = IoThreadTasks.executeAfter(exchange, () -> answer.timedOut(new OpenAiError(504, "server_error", "timeout", null,
                        "No model producer answered the prompt within " + FIRST_EVENT_TIMEOUT.toSeconds() + " s.")),
                        FIRST_EVENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        if (over.get()) {
            return;
        }
        // A client that hangs up before its answer begins (or, with stream: false, before it ends) is noticed at once.
        IoThreadTasks.execute(exchange, () -> HangUpWatch.start(exchange));
        subscription[0].start();
    }

    private static SubscriptionEvents events(CompletionStream answer) {
        return (s, cause) -> answer.failed(new OpenAiError(503, "server_error", "unavailable", null,
                "The room could not be followed (" + cause.getMessage() + "); continue with GET /v1/chat/completions/{id}."));
    }

    /** The request's principal, or null after refusing it (check {@code isResponseStarted}); a worker thread. */
    private Principal principal(HttpServerExchange exchange) {
        try {
            return HttpPrincipal.of(exchange, backbone.security());
        } catch (AuthException e) {
            refuse(exchange, e.errorCode() == ErrorCode.UNAVAILABLE
                    ? new OpenAiError(503, "server_error", "unavailable", null, "Tokens cannot be verified right now; retry.")
                    : new OpenAiError(401, "invalid_request_error", "invalid_api_key", null,
                    "The API key (a Roomcast token) was refused: " + e.reason().wire() + "."));
            return null;
        }
    }

    private RoomLocation locate(HttpServerExchange exchange, RoomName room) {
        try {
            return backbone.topics().locate(room);
        } catch (UnknownNamespaceException e) {
            refuse(exchange, OpenAiError.invalid("room", e.getMessage()));
        } catch (KafkaUnavailableException e) {
            refuse(exchange, new OpenAiError(503, "server_error", "unavailable", null, "Kafka is unavailable; retry."));
        }
        return null;
    }

    private static OpenAiError denied(Decision d) {
        return d.code() == ErrorCode.UNAUTHORIZED
                ? new OpenAiError(401, "invalid_request_error", "invalid_api_key", null, d.message() + ": send it as the API key.")
                : new OpenAiError(403, "invalid_request_error", "permission_denied", "room", d.message());
    }

    private static OpenAiError tooLarge(int max) {
        return new OpenAiError(413, "invalid_request_error", "request_too_large", null, "The request is larger than " + max + " bytes.");
    }

    private void refuse(HttpServerExchange exchange, OpenAiError error) {
        metrics.refused("openai_" + error.code());
        error.send(exchange);
    }

    /** The per-address key the connection gate attached (proxies resolved, IPv6 grouped by /64). */
    private static String clientKey(HttpServerExchange exchange) {
        ClientAddress client = exchange.getAttachment(ClientAddress.KEY);
        return client == null ? "unknown" : client.limitKey();
    }
}
