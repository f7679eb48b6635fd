package io.roomcast.edge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.roomcast.compact.AnswerBudget;
import io.roomcast.edge.auth.AuthException;
import io.roomcast.edge.auth.EdgeSecurity;
import io.roomcast.edge.ephemeral.Ephemeral;
import io.roomcast.edge.presence.Presence;
import io.roomcast.edge.directory.DirectoryHandler;
import io.roomcast.edge.directory.RecordingPublisher;
import io.roomcast.edge.directory.RoomDirectory;
import io.roomcast.edge.snapshot.Snapshots;
import io.roomcast.edge.http.AdminHandler;
import io.roomcast.edge.http.AdminToken;
import io.roomcast.edge.http.AppPages;
import io.roomcast.edge.http.AuthHandshake;
import io.roomcast.edge.http.CachedProbe;
import io.roomcast.edge.http.ClientAddress;
import io.roomcast.edge.http.ConnectAttempts;
import io.roomcast.edge.http.ConnectionCounts;
import io.roomcast.edge.http.ConnectionGate;
import io.roomcast.edge.http.DoorRefusal;
import io.roomcast.edge.auth.Principal;
import io.roomcast.edge.http.HealthHandler;
import io.roomcast.edge.http.Liveness;
import io.roomcast.edge.http.ManagementGuard;
import io.roomcast.edge.http.MetricsHandler;
import io.roomcast.edge.http.WebSocketUpgrade;
import io.roomcast.edge.protocol.CloseCode;
import io.roomcast.edge.protocol.FrameParser;
import io.roomcast.edge.protocol.ServerFrames;
import io.roomcast.edge.session.Connection;
import io.roomcast.edge.session.EpochWatch;
import io.roomcast.edge.session.Heartbeats;
import io.roomcast.edge.publish.Publishing;
import io.roomcast.edge.publish.PublishSettings;
import io.roomcast.edge.publish.RecentPublishes;
import io.roomcast.edge.session.IoFlusher;
import io.roomcast.edge.session.OutboundMetrics;
import io.roomcast.edge.session.Session;
import io.roomcast.edge.session.SessionMetrics;
import io.roomcast.edge.openai.ChatCompletions;
import io.roomcast.edge.sse.SseTransport;
import io.roomcast.edge.status.StatusReporter;
import io.roomcast.edge.status.SystemRooms;
import io.roomcast.edge.subscription.SharedReads;
import io.roomcast.history.KafkaHistoryReader;
import io.roomcast.live.LiveTail;
import io.roomcast.publish.KafkaPublisher;
import io.roomcast.room.Namespace;
import io.roomcast.room.Namespaces;
import io.roomcast.publish.PublishLookup;
import io.roomcast.topic.KafkaTopicRegistry;
import io.roomcast.topic.TopicRegistry;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.PathHandler;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import org.slf4j.Logger;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Roomcast edge: an Undertow server with the WebSocket endpoint {@code /ws}, health, readiness
 * and metrics endpoints and the static web UI, backed by Kafka through a {@link Backbone}.
 * Stateless: everything it holds is soft and rebuilt from Kafka.
 *
 * <p>Threading: {@link #start}, {@link #drain}, {@link #shutdownGracefully} and {@link #close} are
 * called by the process's main or shutdown-hook thread (a test's thread in tests), never by an IO
 * thread: {@code shutdownGracefully} waits. The getters read immutable or thread-safe state and may
 * be called from any thread.
 */
public final class EdgeServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EdgeServer.class);
    /** The largest request head (request line and headers) the edge reads. */
    public static final int MAX_HEADER_BYTES = 64 * 1024;

    private final EdgeConfig config;
    private final Backbone backbone;
    private final Undertow undertow;
    private final PrometheusMeterRegistry meters;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicLong connectionIds = new AtomicLong();
    private final java.util.concurrent.ScheduledExecutorService sweeper;
    private final Liveness liveness;
    private final SseTransport sse;
    private volatile StatusReporter status;
    private final RoomDirectory directory;
    private volatile boolean draining;
    private volatile boolean closed;
    /** Undertow started: its listeners are open and its IO threads run, so stopping it can close them. */
    private volatile boolean listening;

    private EdgeServer(EdgeConfig config) {
        this.config = config;
        this.meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);
        Namespaces namespaces = SystemRooms.including(config.namespaces());
        TopicRegistry topics = new KafkaTopicRegistry(config.kafkaBootstrap(), config.adminSettings(), namespaces,
                config.topicPolicy(), config.topicCacheTtl(), Clock.systemUTC());
        IoFlusher.PerThread flushers = new IoFlusher.PerThread(meters);
        LiveTail live = new LiveTail(config.kafkaBootstrap(), config.consumerSettings(), config.idleRoomsPerPartition(),
                config.historyLimits().cacheBytes(), flushers, meters);
        KafkaHistoryReader history = new KafkaHistoryReader(config.kafkaBootstrap(), config.consumerSettings(),
                config.historyReaders(), config.historyQueueLimit(), config.historyLimits(), meters);
        KafkaPublisher publisher = new KafkaPublisher(config.kafkaBootstrap(), namespaces, config.producerSettings(), meters);
        ThreadPoolExecutor worker = new ThreadPoolExecutor(config.workerThreads(), config.workerThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.workerQueueLimit()), namedThreads("roomcast-worker"));
        Gauge.builder("roomcast.worker.queue", worker, w -> w.getQueue().size())
                .description("tasks waiting for a worker thread (limit " + config.workerQueueLimit() + ")").register(meters);
        EdgeSecurity security = EdgeSecurity.of(config.auth());
        if (security.open()) {
            log.atWarn().log("no authentication configured: every namespace is open to anyone who can reach this edge");
        } else {
            log.atInfo().addKeyValue("auth", config.auth().describe()).log("authentication configured");
        }
        this.directory = new RoomDirectory(topics, config.kafkaBootstrap(), config.adminSettings(), RoomDirectory.topicBeside(
                namespaces.find(Namespace.DEFAULT_NAME).map(Namespace::topic).orElse("roomcast.events")), 10_000, Duration.ofMinutes(1),
                Clock.systemUTC(), meters);
        PublishSettings publish = config.publish();
        Publishing publishing = new Publishing(new RecordingPublisher(publisher, directory), topics,
                new PublishLookup(config.kafkaBootstrap(), config.consumerSettings(),
                        new PublishLookup.Limits(publish.retryLookupRecords(), publish.retryLookupBytes(), publish.retryLookupQueue()), meters),
                new RecentPublishes(config.dedupeEntries(), config.dedupeWindow(), Clock.systemUTC(), meters), publish,
                config.dedupeWindow(), worker, Clock.systemUTC(), meters);
        // Side topics are created (or found) now: a Kafka that is down here fails the start, as the first lookup would.
        Presence presence = new Presence(config.presence(), topics, config.kafkaBootstrap(), config.consumerSettings(),
                config.producerSettings(), Clock.systemUTC(), meters);
        Ephemeral ephemeral = new Ephemeral(config.ephemeral(), topics, config.kafkaBootstrap(), config.consumerSettings(),
                config.producerSettings(), Clock.systemUTC(), meters);
        Snapshots snapshots = new Snapshots(config.snapshots(), topics, config.kafkaBootstrap(), config.consumerSettings());
        this.backbone = new Backbone(topics, live, history, new SharedReads(history, SharedReads.DEFAULT_BYTES, meters), publisher, publishing, worker, security, config, meters, presence, ephemeral,
                snapshots, answerBudget(meters));
        Gauge.builder("roomcast.connections", sessions, Map::size).description("open WebSocket connections").register(meters);
        Gauge.builder("roomcast.subscriptions", sessions, s -> s.values().stream().mapToInt(Session::subscriptionCount).sum())
                .description("active subscriptions").register(meters);
        // Summed when read, from each connection's own count: queueing a frame touches nothing edge-wide.
        Gauge.builder("roomcast.outbound.buffered.bytes", sessions, s -> s.values().stream().mapToLong(Session::queuedBytes).sum())
                .baseUnit("bytes").description("bytes queued for clients and not yet taken by their sockets, all connections").register(meters);

        SessionMetrics sessionMetrics = new SessionMetrics(meters, live::onTailThread);
        OutboundMetrics outboundMetrics = new OutboundMetrics(meters);
        FrameParser parser = new FrameParser();
        ConnectionCounts counts = new ConnectionCounts();
        ConnectAttempts attempts = new ConnectAttempts(config.connectAttemptsPerIpPerSecond(), meters);
        WebSocketUpgrade.Upgraded onConnect = (exchange, connection) -> {
            String id = Long.toString(connectionIds.incrementAndGet(), 36) + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
            ClientAddress client = exchange.getAttachment(ClientAddress.KEY);
            InetSocketAddress peer = connection.getPeerAddress(InetSocketAddress.class);
            String remote = client == null || peer == null || client.address() == null || client.address().equals(peer.getAddress())
                    ? String.valueOf(peer) : client + " via " + peer;
            AuthException refusal = exchange.getAttachment(AuthHandshake.REFUSAL);
            Principal principal = exchange.getAttachment(AuthHandshake.PRINCIPAL);
            Session session = new Session(id, remote, connection, backbone, sessionMetrics, outboundMetrics, flushers);
            // Read from the start, also on a connection refused below: the client's answer to the close frame closes it.
            Connection.open(connection, session, parser, config.maxFrameBytes());
            if (draining) {
                session.close(CloseCode.GOING_AWAY);
                return;
            }
            if (exchange.getAttachment(AuthHandshake.FOREIGN_ORIGIN) != null) {
                log.atInfo().addKeyValue("session", id).addKeyValue("remote", remote)
                        .addKeyValue("origin", exchange.getAttachment(AuthHandshake.FOREIGN_ORIGIN)).log("origin refused at connect");
                session.close(CloseCode.POLICY, "origin not allowed");
                return;
            }
            if (refusal != null) {
                log.atInfo().addKeyValue("session", id).addKeyValue("remote", remote).addKeyValue("reason", refusal.reason().wire())
                        .log("token refused at connect");
                session.close(refusal.closeCode(), "unauthorized: " + refusal.reason().wire());
                return;
            }
            session.authenticated(principal);
            sessions.put(id, session);
            Runnable uncount = counts.opened(client == null ? "unknown" : client.limitKey());
            connection.setCloseListener(c -> {
                uncount.run();
                sessions.remove(id);
                session.closed();
                log.atDebug().addKeyValue("session", id).addKeyValue("remote", remote).log("connection closed");
            });
            log.atDebug().addKeyValue("session", id).addKeyValue("remote", remote).log("connection opened");
        };
        this.liveness = new Liveness(config.http().livenessTimeout(), System::nanoTime);
        liveness.require("live tail stopped", live::isRunning);
        liveness.watch("live tail loop", live::lastLoopNanos);
        Counter probes = Counter.builder("roomcast.readiness.probes")
                .description("Kafka probes made by /readyz (cached for readinessCacheTtl)").register(meters);
        HealthHandler health = new HealthHandler(liveness, () -> draining, live::isRunning,
                new CachedProbe(() -> topics.reachable(Duration.ofSeconds(2)), config.http().readinessCacheTtl(), System::nanoTime,
                        probes::increment));
        ConnectionGate gate = new ConnectionGate(new AuthHandshake(WebSocketUpgrade.handler(onConnect), security, worker), DoorRefusal.JSON,
                attempts, counts, config, meters);
        this.sweeper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(namedThreads("roomcast-heartbeat"));
        sweeper.scheduleWithFixedDelay(new Heartbeats(sessions.values(), config, meters),
                Math.min(1000, config.pingInterval().toMillis()), Math.min(1000, config.pingInterval().toMillis()), TimeUnit.MILLISECONDS);
        sweeper.scheduleWithFixedDelay(new EpochWatch(sessions.values(), topics, worker),
                config.topicCacheTtl().toMillis(), config.topicCacheTtl().toMillis(), TimeUnit.MILLISECONDS);
        HttpHandler web = Handlers.resource(new ClassPathResourceManager(EdgeServer.class.getClassLoader(), "web")).setWelcomeFiles("index.html");
        this.sse = new SseTransport(backbone, counts, meters);
        PathHandler main = Handlers.path()
                .addExactPath("/ws", gate)
                .addExactPath("/sse", new ConnectionGate(sse, DoorRefusal.JSON, attempts, counts, config, meters))
                .addPrefixPath("/v1/chat/completions", new ConnectionGate(new ChatCompletions(backbone, sse.metrics(), counts),
                        ChatCompletions.DOOR, attempts, counts, config, meters))
                .addExactPath("/healthz", health::live)
                .addExactPath("/readyz", health::ready)
                .addExactPath("/rooms", new DirectoryHandler(directory,
                        ns -> security.open() || config.auth().anonymousSubscribe().contains(ns)))
                .addExactPath("/chat", AppPages.page("/chat.html", web))
                .addExactPath("/logs", AppPages.page("/logs.html", web))
                .addExactPath("/status", AppPages.page("/status.html", web))
                .addPrefixPath("/", web);
        AdminToken adminToken = new AdminToken(config.adminToken());
        HttpHandler admin = new AdminHandler(sessions.values(), adminToken);
        HttpHandler metrics = new MetricsHandler(meters);
        // A request's headers are held while it is parsed: Undertow's 1 MB default would let each of
        // the connections being admitted hold that much. A token (8 KB at most) and cookies fit in 64 KB.
        Undertow.Builder listeners = Undertow.builder().setServerOption(UndertowOptions.MAX_HEADER_SIZE, MAX_HEADER_BYTES)
                .addHttpListener(config.port(), config.host(), main);
        if (config.http().separateManagement()) {
            listeners.addHttpListener(config.http().managementPort(), config.http().managementHost(), Handlers.path()
                    .addExactPath("/admin/connections", admin).addExactPath("/metrics", metrics)
                    .addExactPath("/healthz", health::live).addExactPath("/readyz", health::ready));
        } else {
            main.addExactPath("/admin/connections", new ManagementGuard(admin, adminToken))
                    .addExactPath("/metrics", new ManagementGuard(metrics, adminToken));
        }
        this.undertow = listeners.build();
    }

    /** Beats a heart on each IO thread every second, so that {@code /healthz} notices a stuck or dead one. */
    private void watchIoThreads() {
        XnioWorker worker = undertow.getWorker();
        for (int i = 0; i < worker.getIoThreadCount(); i++) {
            XnioIoThread thread = worker.getIoThread(i);
            Runnable heart = liveness.heart("io thread " + i);
            sweeper.scheduleWithFixedDelay(() -> thread.execute(heart), 1, 1, TimeUnit.SECONDS);
        }
    }

    /**
     * Starts an edge: listens, then creates the namespace topics that do not exist yet. Any thread.
     *
     * @throws UncheckedIOException when it cannot listen (an address that does not resolve, a port in use); nothing of it keeps running
     */
    public static EdgeServer start(EdgeConfig config) {
        EdgeServer server = new EdgeServer(config);
        // Listening comes first: with Kafka out of reach the topic check below waits for its timeouts, and a
        // supervisor's liveness probe (/healthz) must be answered meanwhile, /readyz saying 503 until Kafka answers.
        try {
            server.undertow.start();
            server.listening = true;
        } catch (RuntimeException e) {
            // An address that does not resolve or a port in use: nothing of this edge may keep running.
            server.close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String management = config.http().separateManagement()
                    ? " (management " + config.http().managementHost() + ":" + config.http().managementPort() + ")" : "";
            throw new UncheckedIOException(new IOException("cannot listen on " + config.host() + ":" + config.port() + management + ": "
                    + cause.getMessage(), cause));
        }
        server.watchIoThreads();
        try {
            server.backbone.topics().ensureAll();
        } catch (RuntimeException e) {
            log.atWarn().setCause(e).log("could not ensure namespace topics at start-up; they are created on first use");
        }
        server.status = new StatusReporter(server.meters, server.backbone.publisher(), server.backbone.live()::isRunning,
                server::draining, StatusReporter.edgeName(server.port()), server.url(), config.statusInterval(), Clock.systemUTC());
        log.atInfo().addKeyValue("url", server.url()).addKeyValue("management", server.managementUrl())
                .addKeyValue("kafka", config.kafkaBootstrap()).log("edge started");
        return server;
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** The base URL of the management listener, or of the main one when there is none. */
    public String managementUrl() {
        if (!config.http().separateManagement()) {
            return url();
        }
        String host = config.http().managementHost().equals("0.0.0.0") ? "127.0.0.1" : config.http().managementHost();
        return "http://" + host + ":" + ((InetSocketAddress) undertow.getListenerInfo().get(1).getAddress()).getPort();
    }

    /** The http base URL, with a loopback host when bound to all interfaces. */
    public String url() {
        String host = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
        return "http://" + host + ":" + port();
    }

    public String wsUrl() {
        return url().replace("http://", "ws://") + "/ws";
    }

    public EdgeConfig config() {
        return config;
    }

    public Backbone backbone() {
        return backbone;
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    public boolean draining() {
        return draining;
    }

    public int connections() {
        return sessions.size();
    }

    /**
     * Graceful drain: readiness turns false, every client is told to reconnect elsewhere after a
     * jittered delay and closed with 1001, so it resumes on another edge and loses nothing.
     */
    public void drain() {
        draining = true;
        sse.drain();
        long spread = Math.max(1, config.drainDelay().toMillis());
        sessions.values().forEach(s -> {
            s.outbound().force(ServerFrames.reconnect("drain", ThreadLocalRandom.current().nextLong(spread)));
            s.close(CloseCode.GOING_AWAY);
        });
    }

    /**
     * Drains (see {@link #drain()}), waits up to {@code timeout} for clients to leave, then closes.
     * This is what SIGTERM does.
     */
    public void shutdownGracefully(Duration timeout) {
        log.atInfo().addKeyValue("connections", connections()).log("draining");
        drain();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (connections() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        draining = true;
        sse.close();
        if (status != null) {
            status.close();
        }
        if (listening) {
            undertow.stop();
        }
        // Else Undertow's failed start already shut its IO threads down: stopping it would wait forever for one of
        // them to close a listener that did open (the public one, when the management one could not), which stays
        // bound until this JVM exits — the launcher exits at once with code 2.
        directory.close();
        sweeper.shutdownNow();
        backbone.worker().shutdownNow();
        backbone.presence().close();
        backbone.ephemeral().close();
        backbone.live().close();
        backbone.history().close();
        backbone.publishing().close();
        backbone.publisher().close();
        backbone.topics().close();
        backbone.security().close();
        meters.close();
        log.atInfo().addKeyValue("port", config.port()).log("edge stopped");
    }

    /** The edge-wide bound of what compacted catch-ups hold back, with its metrics. */
    private static AnswerBudget answerBudget(MeterRegistry meters) {
        AnswerBudget budget = new AnswerBudget(AnswerBudget.DEFAULT_CHARS);
        Gauge.builder("roomcast.compact.held.chars", budget, AnswerBudget::held)
                .description("characters of unfinished answers held back by compacted catch-ups (limit " + budget.limit() + ")").register(meters);
        FunctionCounter.builder("roomcast.compact.refused", budget, AnswerBudget::refused)
                .description("tokens sent uncompacted because the edge held its limit of answers' text").register(meters);
        return budget;
    }

    private static java.util.concurrent.ThreadFactory namedThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

}
