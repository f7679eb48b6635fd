package io.roomcast.edge;

import io.roomcast.edge.auth.AuthConfig;
import io.roomcast.history.HistoryLimits;
import io.roomcast.edge.http.HttpSettings;
import io.roomcast.edge.ephemeral.EphemeralConfig;
import io.roomcast.edge.presence.PresenceConfig;
import io.roomcast.edge.publish.PublishSettings;
import io.roomcast.edge.snapshot.SnapshotConfig;
import io.roomcast.room.Namespaces;
import io.roomcast.topic.TopicPolicy;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable settings of one edge, validated once; defaults in {@link #builder(String)}.
 * Every setting is documented in docs/operations.md.
 */
public record EdgeConfig(
        String host,
        int port,
        String kafkaBootstrap,
        Namespaces namespaces,
        TopicPolicy topicPolicy,
        int outboundLimit,
        int handoverBufferLimit,
        int historyReaders,
        int historyQueueLimit,
        int historyReadAttempts,
        int idleRoomsPerPartition,
        int maxSubscriptionsPerConnection,
        int maxFrameBytes,
        int maxPayloadBytes,
        int workerThreads,
        int workerQueueLimit,
        Duration topicCacheTtl,
        Duration drainDelay,
        int dropWindow,
        Duration pingInterval,
        Duration heartbeatTimeout,
        Duration writeTimeout,
        int maxConnections,
        int maxConnectionsPerIp,
        int connectAttemptsPerIpPerSecond,
        int framesPerSecond,
        int publishesPerSecond,
        int rateLimitStrikes,
        String adminToken,
        AuthConfig auth,
        Map<String, Object> producerOverrides,
        Map<String, Object> consumerOverrides,
        KafkaClientProperties kafkaProperties,
        Duration dedupeWindow,
        int dedupeEntries,
        HistoryLimits historyLimits,
        HttpSettings http,
        PresenceConfig presence,
        EphemeralConfig ephemeral,
        Duration statusInterval,
        PublishSettings publish,
        SnapshotConfig snapshots) {

    public EdgeConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(kafkaBootstrap, "kafkaBootstrap");
        Objects.requireNonNull(namespaces, "namespaces");
        if (kafkaBootstrap.isBlank()) {
            throw new IllegalArgumentException("kafka bootstrap servers are required (HOST:PORT)");
        }
        range("port", port, 0, 65535);
        range("outboundLimit", outboundLimit, 1, 1_000_000);
        range("handoverBufferLimit", handoverBufferLimit, 1, 10_000_000);
        range("historyReaders", historyReaders, 1, 64);
        range("historyQueueLimit", historyQueueLimit, 1, 10_000_000);
        range("historyReadAttempts", historyReadAttempts, 0, 100);
        range("idleRoomsPerPartition", idleRoomsPerPartition, 0, 10_000_000);
        range("maxSubscriptionsPerConnection", maxSubscriptionsPerConnection, 1, 100_000);
        range("maxFrameBytes", maxFrameBytes, 256, 64 * 1024 * 1024);
        range("maxPayloadBytes", maxPayloadBytes, 1, 64 * 1024 * 1024);
        range("workerThreads", workerThreads, 1, 1024);
        range("workerQueueLimit", workerQueueLimit, 1, 10_000_000);
        positive("topicCacheTtl", topicCacheTtl);
        Objects.requireNonNull(drainDelay, "drainDelay");
        if (drainDelay.isNegative() || drainDelay.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("drainDelay must be 0..10 minutes, was " + drainDelay);
        }
        range("dropWindow", dropWindow, 1, 1_000_000);
        positive("pingInterval", pingInterval);
        positive("heartbeatTimeout", heartbeatTimeout);
        positive("writeTimeout", writeTimeout);
        if (heartbeatTimeout.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("heartbeatTimeout must be longer than pingInterval");
        }
        range("maxConnections", maxConnections, 1, 10_000_000);
        range("maxConnectionsPerIp", maxConnectionsPerIp, 1, 10_000_000);
        range("connectAttemptsPerIpPerSecond", connectAttemptsPerIpPerSecond, 1, 1_000_000);
        range("framesPerSecond", framesPerSecond, 1, 1_000_000);
        range("publishesPerSecond", publishesPerSecond, 1, 1_000_000);
        range("rateLimitStrikes", rateLimitStrikes, 1, 1_000_000);
        if (adminToken != null && adminToken.length() < 16) {
            throw new IllegalArgumentException("adminToken must have at least 16 characters");
        }
        Objects.requireNonNull(auth, "auth");
        producerOverrides = Map.copyOf(producerOverrides);
        consumerOverrides = Map.copyOf(consumerOverrides);
        Objects.requireNonNull(kafkaProperties, "kafkaProperties");
        positive("dedupeWindow", dedupeWindow);
        range("dedupeEntries", dedupeEntries, 1, 100_000_000);
        Objects.requireNonNull(historyLimits, "historyLimits");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(presence, "presence");
        Objects.requireNonNull(ephemeral, "ephemeral");
        Objects.requireNonNull(statusInterval, "statusInterval");
        if (statusInterval.isNegative() || (!statusInterval.isZero() && statusInterval.toMillis() < 100)) {
            throw new IllegalArgumentException("statusInterval must be 0 (off) or at least 100ms, was " + statusInterval);
        }
        Objects.requireNonNull(snapshots, "snapshots");
    }

    /** Settings of the edge's admin client: the operator's Kafka client settings. */
    public Map<String, Object> adminSettings() {
        return kafkaProperties.under(Map.of());
    }

    /** Settings of the edge's consumers: the operator's Kafka client settings under the consumer overrides. */
    public Map<String, Object> consumerSettings() {
        return kafkaProperties.under(consumerOverrides);
    }

    /** Settings of the edge's producer: the operator's Kafka client settings under the producer overrides. */
    public Map<String, Object> producerSettings() {
        return kafkaProperties.under(producerOverrides);
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }

    private static void range(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", was " + value);
        }
    }

    public static Builder builder(String kafkaBootstrap) {
        return new Builder(kafkaBootstrap);
    }

    /** A builder holding the defaults; {@link #build()} validates. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = 8080;
        private final String kafkaBootstrap;
        private Namespaces namespaces = Namespaces.ofDefaults();
        private short replicationFactor = -1;
        private int minInsyncReplicas = -1;
        private int outboundLimit = 100;
        private int handoverBufferLimit = 10_000;
        private int historyReaders = 2;
        private int historyQueueLimit = 10_000;
        private int historyReadAttempts = 5;
        private int idleRoomsPerPartition = 1_000;
        private int maxSubscriptionsPerConnection = 100;
        private int maxFrameBytes = 64 * 1024;
        private int maxPayloadBytes = 60 * 1024;
        private int workerThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        private int workerQueueLimit = 10_000;
        private Duration topicCacheTtl = Duration.ofSeconds(30);
        private Duration drainDelay = Duration.ofSeconds(5);
        private int dropWindow = 100;
        private Duration pingInterval = Duration.ofSeconds(30);
        private Duration heartbeatTimeout = Duration.ofSeconds(75);
        private Duration writeTimeout = Duration.ofSeconds(30);
        private int maxConnections = 100_000;
        private int maxConnectionsPerIp = 10_000;
        private int connectAttemptsPerIpPerSecond = 1_000;
        private int framesPerSecond = 200;
        private int publishesPerSecond = 100;
        private int rateLimitStrikes = 100;
        private String adminToken;
        private AuthConfig auth = AuthConfig.ofDefaults();
        private Map<String, Object> producerOverrides = Map.of();
        private Map<String, Object> consumerOverrides = Map.of();
        private KafkaClientProperties kafkaProperties = KafkaClientProperties.NONE;
        private Duration dedupeWindow = Duration.ofMinutes(5);
        private int dedupeEntries = 100_000;
        private HistoryLimits historyLimits = HistoryLimits.DEFAULTS;
        private HttpSettings http = HttpSettings.ofDefaults();
        private PresenceConfig presence = PresenceConfig.ofDefaults();
        private EphemeralConfig ephemeral = EphemeralConfig.ofDefaults();
        private Duration statusInterval = Duration.ofSeconds(5);
        private PublishSettings publish = PublishSettings.defaults();
        private SnapshotConfig snapshots = SnapshotConfig.ofDefaults();

        private Builder(String kafkaBootstrap) {
            this.kafkaBootstrap = kafkaBootstrap;
        }

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder namespaces(Namespaces v) { namespaces = v; return this; }
        public Builder replicationFactor(short v) { replicationFactor = v; return this; }
        public Builder minInsyncReplicas(int v) { minInsyncReplicas = v; return this; }
        public Builder topicPolicy(TopicPolicy p) { replicationFactor = p.replicationFactor(); minInsyncReplicas = p.minInsyncReplicas(); return this; }
        public Builder outboundLimit(int v) { outboundLimit = v; return this; }
        public Builder handoverBufferLimit(int v) { handoverBufferLimit = v; return this; }
        public Builder historyReaders(int v) { historyReaders = v; return this; }
        public Builder historyQueueLimit(int v) { historyQueueLimit = v; return this; }
        public Builder historyReadAttempts(int v) { historyReadAttempts = v; return this; }
        public Builder idleRoomsPerPartition(int v) { idleRoomsPerPartition = v; return this; }
        public Builder maxSubscriptionsPerConnection(int v) { maxSubscriptionsPerConnection = v; return this; }
        public Builder maxFrameBytes(int v) { maxFrameBytes = v; return this; }
        public Builder maxPayloadBytes(int v) { maxPayloadBytes = v; return this; }
        public Builder workerThreads(int v) { workerThreads = v; return this; }
        public Builder workerQueueLimit(int v) { workerQueueLimit = v; return this; }
        public Builder topicCacheTtl(Duration v) { topicCacheTtl = v; return this; }
        public Builder drainDelay(Duration v) { drainDelay = v; return this; }
        public Builder dropWindow(int v) { dropWindow = v; return this; }
        public Builder pingInterval(Duration v) { pingInterval = v; return this; }
        public Builder heartbeatTimeout(Duration v) { heartbeatTimeout = v; return this; }
        public Builder writeTimeout(Duration v) { writeTimeout = v; return this; }
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        public Builder maxConnectionsPerIp(int v) { maxConnectionsPerIp = v; return this; }
        public Builder connectAttemptsPerIpPerSecond(int v) { connectAttemptsPerIpPerSecond = v; return this; }
        public Builder framesPerSecond(int v) { framesPerSecond = v; return this; }
        public Builder publishesPerSecond(int v) { publishesPerSecond = v; return this; }
        public Builder rateLimitStrikes(int v) { rateLimitStrikes = v; return this; }
        public Builder adminToken(String v) { adminToken = v; return this; }
        public Builder auth(AuthConfig v) { auth = v; return this; }
        public Builder producerOverrides(Map<String, Object> v) { producerOverrides = v; return this; }
        public Builder consumerOverrides(Map<String, Object> v) { consumerOverrides = v; return this; }
        public Builder kafkaProperties(KafkaClientProperties v) { kafkaProperties = v; return this; }
        public Builder dedupeWindow(Duration v) { dedupeWindow = v; return this; }
        public Builder dedupeEntries(int v) { dedupeEntries = v; return this; }
        public Builder historyReadTimeout(Duration v) { historyLimits = historyLimits.withReadTimeout(v); return this; }
        public Builder historyScanRecords(int v) { historyLimits = historyLimits.withScanRecords(v); return this; }
        public Builder historyCacheBytes(long v) { historyLimits = historyLimits.withCacheBytes(v); return this; }
        public Builder historyReadsPerConnection(int v) { historyLimits = historyLimits.withReadsPerConnection(v); return this; }
        public Builder http(HttpSettings v) { http = v; return this; }
        public Builder presence(PresenceConfig v) { presence = v; return this; }
        public Builder ephemeral(EphemeralConfig v) { ephemeral = v; return this; }
        public Builder statusInterval(Duration v) { statusInterval = v; return this; }
        public Builder publish(PublishSettings v) { publish = v; return this; }
        public Builder snapshots(SnapshotConfig v) { snapshots = v; return this; }

        public EdgeConfig build() {
            return new EdgeConfig(host, port, kafkaBootstrap, namespaces, new TopicPolicy(replicationFactor, minInsyncReplicas), outboundLimit, handoverBufferLimit,
                    historyReaders, historyQueueLimit, historyReadAttempts, idleRoomsPerPartition, maxSubscriptionsPerConnection,
                    maxFrameBytes, maxPayloadBytes, workerThreads, workerQueueLimit, topicCacheTtl, drainDelay,
                    dropWindow, pingInterval, heartbeatTimeout, writeTimeout, maxConnections, maxConnectionsPerIp,
                    connectAttemptsPerIpPerSecond, framesPerSecond, publishesPerSecond, rateLimitStrikes, adminToken, auth,
                    producerOverrides, consumerOverrides, kafkaProperties, dedupeWindow, dedupeEntries, historyLimits, http, presence, ephemeral,
                    statusInterval, publish, snapshots);
        }
    }
}
