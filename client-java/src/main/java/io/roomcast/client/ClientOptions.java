package io.roomcast.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Immutable options of a {@link RoomcastClient}, built and validated once by {@link #builder()}; defaults in
 * {@link #ofDefaults()}. Thread-safe.
 */
public final class ClientOptions {

    private static final ClientOptions DEFAULTS = builder().build();

    private final Supplier<String> tokenSupplier;
    private final boolean tokenRenews;
    private final boolean tokenInUrl;
    private final Consumer<ClientError> errorListener;
    private final BackoffPolicy backoff;
    private final Duration connectTimeout;
    private final Duration pingInterval;
    private final Duration pongTimeout;
    private final int publishQueueLimit;
    private final Duration publishTimeout;
    private final int maxSubscriptions;
    private final int publishesPerSecond;
    private final int maxBufferedEvents;
    private final int maxFrameBytes;
    private final int maxInboundFrameChars;
    private final Executor listenerExecutor;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final RandomGenerator random;
    private final HttpClient httpClient;
    private final ObjectMapper objectMapper;
    private final List<StateListener> stateListeners;

    private ClientOptions(Builder b) {
        this.tokenSupplier = b.tokenSupplier;
        this.tokenRenews = b.tokenRenews;
        this.tokenInUrl = b.tokenInUrl;
        this.errorListener = b.errorListener;
        this.backoff = b.backoff;
        this.connectTimeout = b.connectTimeout;
        this.pingInterval = b.pingInterval;
        this.pongTimeout = b.pongTimeout;
        this.publishQueueLimit = b.publishQueueLimit;
        this.publishTimeout = b.publishTimeout;
        this.maxSubscriptions = b.maxSubscriptions;
        this.publishesPerSecond = b.publishesPerSecond;
        this.maxBufferedEvents = b.maxBufferedEvents;
        this.maxFrameBytes = b.maxFrameBytes;
        this.maxInboundFrameChars = b.maxInboundFrameChars;
        this.listenerExecutor = b.listenerExecutor;
        this.scheduler = b.scheduler;
        this.clock = b.clock;
        this.random = b.random;
        this.httpClient = b.httpClient;
        this.objectMapper = b.objectMapper;
        this.stateListeners = List.copyOf(b.stateListeners);
    }

    /** No token, default backoff, ping every 30 s, pong within 10 s, 1000 queued publishes for at most 10 s. */
    public static ClientOptions ofDefaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.tokenSupplier = tokenSupplier;
        b.tokenRenews = tokenRenews;
        b.tokenInUrl = tokenInUrl;
        b.errorListener = errorListener;
        b.backoff = backoff;
        b.connectTimeout = connectTimeout;
        b.pingInterval = pingInterval;
        b.pongTimeout = pongTimeout;
        b.publishQueueLimit = publishQueueLimit;
        b.publishTimeout = publishTimeout;
        b.maxSubscriptions = maxSubscriptions;
        b.publishesPerSecond = publishesPerSecond;
        b.maxBufferedEvents = maxBufferedEvents;
        b.maxFrameBytes = maxFrameBytes;
        b.maxInboundFrameChars = maxInboundFrameChars;
        b.listenerExecutor = listenerExecutor;
        b.scheduler = scheduler;
        b.clock = clock;
        b.random = random;
        b.httpClient = httpClient;
        b.objectMapper = objectMapper;
        b.stateListeners.addAll(stateListeners);
        return b;
    }

    /**
     * The token, sent in an {@code auth} frame as the first frame of every connection (never in the URL unless
     * {@link #tokenInUrl()}); subscribes and publishes wait for the edge's {@code authed}. Asked before every
     * connection attempt and, for a {@link Builder#tokenSupplier supplier}, again when 80 % of the token's lifetime
     * has passed (sent on the open connection). It runs on the client's loop thread: keep it fast.
     */
    public Optional<Supplier<String>> tokenSupplier() {
        return Optional.ofNullable(tokenSupplier);
    }

    /**
     * Whether the token comes from a supplier that can give a fresh one: then it is refreshed before expiry, and a
     * 4401 close after the token was accepted reconnects with a new token instead of closing the client.
     */
    public boolean tokenRenews() {
        return tokenRenews;
    }

    /**
     * Whether the token also goes in the connection URL as {@code ?token=}. Default false. For tools only: URLs end up
     * in proxy and access logs, so applications must not use it.
     */
    public boolean tokenInUrl() {
        return tokenInUrl;
    }

    /**
     * Receives problems that belong to no subscription or publish: frames from the edge that do not follow the
     * protocol ({@link ErrorCode#PROTOCOL}), error frames that answer no request, a refused token refresh, a failing
     * token supplier ({@link ErrorCode#TOKEN_PROVIDER}). Called on the listener executor. Empty = they are only logged.
     */
    public Optional<Consumer<ClientError>> errorListener() {
        return Optional.ofNullable(errorListener);
    }

    public BackoffPolicy backoff() {
        return backoff;
    }

    /** How long one WebSocket handshake may take. Default 10 s. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How often the client sends an app-level {@code ping}. Default 30 s. */
    public Duration pingInterval() {
        return pingInterval;
    }

    /** A {@code ping} without {@code pong} within this time makes the client reconnect. Default 10 s. */
    public Duration pongTimeout() {
        return pongTimeout;
    }

    /** Publishes that may wait (queued while disconnected, or sent and not yet acked). Default 1000. */
    public int publishQueueLimit() {
        return publishQueueLimit;
    }

    /** A publish not acked within this time, counted from the call, fails with {@link ErrorCode#TIMEOUT}. Default 10 s. */
    public Duration publishTimeout() {
        return publishTimeout;
    }

    /**
     * Subscriptions one client may hold: the edge's {@code maxSubscriptionsPerConnection} (default 100), which refuses
     * the next with {@code limit_exceeded}; raise both together. Default 100.
     */
    public int maxSubscriptions() {
        return maxSubscriptions;
    }

    /**
     * Publishes (and signals) sent per second at most, in any second: the edge's {@code publishesPerSecond} (default
     * 100), so a queue that waited for a connection is sent in step with what the edge takes instead of being refused
     * with {@code rate_limited}. Set it to the edge's value when that is raised; 0 sends without pacing. Default 100.
     */
    public int publishesPerSecond() {
        return publishesPerSecond;
    }

    /** Events received but not yet handed to listeners before the client stops reading the socket. Default 10000. */
    public int maxBufferedEvents() {
        return maxBufferedEvents;
    }

    /**
     * The largest frame the client sends (UTF-8 bytes); a larger publish fails with {@link ErrorCode#TOO_LARGE}, one
     * with an event id counted with the {@code "retry":true,} it may be resent with. Default 1 MiB.
     */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** The largest frame the client accepts (characters); a larger one closes the client. Default 16 Mi. */
    public int maxInboundFrameChars() {
        return maxInboundFrameChars;
    }

    /** Where listener callbacks, state changes and publish results run; empty = one thread owned by the client. */
    public Optional<Executor> listenerExecutor() {
        return Optional.ofNullable(listenerExecutor);
    }

    /** The scheduler of the client's loop and timers; empty = one thread owned by the client. Not shut down by the client. */
    public Optional<ScheduledExecutorService> scheduler() {
        return Optional.ofNullable(scheduler);
    }

    public Clock clock() {
        return clock;
    }

    /** The randomness of backoff jitter. */
    public RandomGenerator random() {
        return random;
    }

    /** The HTTP client whose WebSocket builder is used; empty = one shared by all clients of this JVM. */
    public Optional<HttpClient> httpClient() {
        return Optional.ofNullable(httpClient);
    }

    /** Encodes publish data given as objects and decodes frames. */
    public ObjectMapper objectMapper() {
        return objectMapper;
    }

    /** State listeners registered before the client starts, so they also hear the first transition. */
    public List<StateListener> stateListeners() {
        return stateListeners;
    }

    /** Builds {@link ClientOptions}; every setter validates its argument, so a built instance is always valid. */
    public static final class Builder {
        private Supplier<String> tokenSupplier;
        private boolean tokenRenews;
        private boolean tokenInUrl;
        private Consumer<ClientError> errorListener;
        private BackoffPolicy backoff = BackoffPolicy.ofDefaults();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration pingInterval = Duration.ofSeconds(30);
        private Duration pongTimeout = Duration.ofSeconds(10);
        private int publishQueueLimit = 1_000;
        private Duration publishTimeout = Duration.ofSeconds(30);
        private int maxSubscriptions = 100;
        private int publishesPerSecond = 100;
        private int maxBufferedEvents = 10_000;
        /** The edge's default {@code maxFrameBytes}: a larger message is closed with 1009. */
        private int maxFrameBytes = 64 * 1024;
        private int maxInboundFrameChars = 16 << 20;
        private Executor listenerExecutor;
        private ScheduledExecutorService scheduler;
        private Clock clock = Clock.systemUTC();
        private RandomGenerator random = RandomGenerator.getDefault();
        private HttpClient httpClient;
        private ObjectMapper objectMapper = new ObjectMapper();
        private final List<StateListener> stateListeners = new ArrayList<>();

        private Builder() {
        }

        /** A fixed token, or null for none. */
        public Builder token(String token) {
            if (token != null && token.isEmpty()) {
                throw new IllegalArgumentException("token must not be empty (use null for none)");
            }
            this.tokenSupplier = token == null ? null : () -> token;
            this.tokenRenews = false;
            return this;
        }

        /**
         * A token asked for before every connection attempt and before the current token expires (for tokens that
         * expire); null for none.
         */
        public Builder tokenSupplier(Supplier<String> supplier) {
            this.tokenSupplier = supplier;
            this.tokenRenews = supplier != null;
            return this;
        }

        /** Also send the token as {@code ?token=} in the URL: for tools only, see {@link ClientOptions#tokenInUrl()}. */
        public Builder tokenInUrl(boolean inUrl) {
            this.tokenInUrl = inUrl;
            return this;
        }

        /** See {@link ClientOptions#errorListener()}; null for none. */
        public Builder errorListener(Consumer<ClientError> listener) {
            this.errorListener = listener;
            return this;
        }

        public Builder backoff(BackoffPolicy policy) {
            this.backoff = Objects.requireNonNull(policy, "backoff");
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        public Builder pingInterval(Duration interval) {
            this.pingInterval = positive(interval, "pingInterval");
            return this;
        }

        public Builder pongTimeout(Duration timeout) {
            this.pongTimeout = positive(timeout, "pongTimeout");
            return this;
        }

        public Builder publishQueueLimit(int limit) {
            this.publishQueueLimit = atLeastOne(limit, "publishQueueLimit");
            return this;
        }

        public Builder publishTimeout(Duration timeout) {
            this.publishTimeout = positive(timeout, "publishTimeout");
            return this;
        }

        /** 0 (no pacing) or 1..10,000; see {@link ClientOptions#publishesPerSecond()}. */
        public Builder publishesPerSecond(int perSecond) {
            if (perSecond < 0 || perSecond > 10_000) {
                throw new IllegalArgumentException("publishesPerSecond must be 0 (no pacing) or 1..10000: " + perSecond);
            }
            this.publishesPerSecond = perSecond;
            return this;
        }

        public Builder maxSubscriptions(int max) {
            this.maxSubscriptions = atLeastOne(max, "maxSubscriptions");
            return this;
        }

        public Builder maxBufferedEvents(int max) {
            this.maxBufferedEvents = atLeastOne(max, "maxBufferedEvents");
            return this;
        }

        public Builder maxFrameBytes(int max) {
            if (max < 1024) {
                throw new IllegalArgumentException("maxFrameBytes must be >= 1024: " + max);
            }
            this.maxFrameBytes = max;
            return this;
        }

        public Builder maxInboundFrameChars(int max) {
            if (max < 1024) {
                throw new IllegalArgumentException("maxInboundFrameChars must be >= 1024: " + max);
            }
            this.maxInboundFrameChars = max;
            return this;
        }

        /** Null for the default (one thread owned by the client). */
        public Builder listenerExecutor(Executor executor) {
            this.listenerExecutor = executor;
            return this;
        }

        /** Null for the default (one thread owned by the client). */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** Null for the JVM-wide shared client. */
        public Builder httpClient(HttpClient client) {
            this.httpClient = client;
            return this;
        }

        public Builder objectMapper(ObjectMapper mapper) {
            this.objectMapper = Objects.requireNonNull(mapper, "objectMapper");
            return this;
        }

        /**
         * Adds a state listener that is registered before the client connects, so it hears every transition including
         * the first ({@link RoomcastClient#addStateListener} may miss a fast first {@code OPEN}).
         */
        public Builder stateListener(StateListener listener) {
            stateListeners.add(Objects.requireNonNull(listener, "stateListener"));
            return this;
        }

        public ClientOptions build() {
            return new ClientOptions(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }

        private static int atLeastOne(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be >= 1: " + value);
            }
            return value;
        }
    }
}
