package io.roomcast.topic;

import io.roomcast.room.Namespace;
import io.roomcast.room.Namespaces;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The {@link TopicRegistry} of a running edge: asks Kafka through an admin client, creating
 * namespace topics on first use through the deployment's {@link TopicPolicy}. Topic descriptions
 * are cached for a short time so that a re-created or re-partitioned topic is noticed and its new
 * epoch used.
 *
 * <p>Thread-safety: safe for concurrent use. Every lookup may block on Kafka (up to its timeout),
 * so never call one on an IO thread.
 */
public final class KafkaTopicRegistry implements TopicRegistry {
    private static final Logger log = LoggerFactory.getLogger(KafkaTopicRegistry.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;
    private final Namespaces namespaces;
    private final TopicPolicy policy;
    private final Duration cacheTtl;
    private final Clock clock;
    private final Map<String, Cached> topics = new ConcurrentHashMap<>();

    private record Cached(TopicInfo info, long expiresAtMillis) {
    }

    /**
     * @param clientSettings further admin client settings (security, SASL, TLS, timeouts); they win over
     *                       Roomcast's defaults, but not over the bootstrap servers
     */
    public KafkaTopicRegistry(String bootstrapServers, Map<String, Object> clientSettings, Namespaces namespaces, TopicPolicy policy,
                              Duration cacheTtl, Clock clock) {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.putAll(clientSettings);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.admin = Admin.create(props);
        this.namespaces = namespaces;
        this.policy = policy;
        this.cacheTtl = cacheTtl;
        this.clock = clock;
    }

    @Override
    public Namespaces namespaces() {
        return namespaces;
    }

    /** The cached description of the namespace's topic, refreshed when older than the cache TTL. */
    @Override
    public TopicInfo info(Namespace ns) {
        long now = clock.millis();
        Cached cached = topics.get(ns.topic());
        if (cached != null && cached.expiresAtMillis > now) {
            return cached.info;
        }
        TopicInfo info = describeOrCreate(ns, cached == null);
        topics.put(ns.topic(), new Cached(info, now + cacheTtl.toMillis()));
        if (cached != null && !cached.info.equals(info)) {
            log.atWarn().addKeyValue("topic", ns.topic()).addKeyValue("oldEpoch", cached.info.epoch())
                    .addKeyValue("newEpoch", info.epoch()).log("topic changed: new epoch");
        }
        return info;
    }

    /**
     * A topic seen for the first time is created through the {@link TopicPolicy} when missing and
     * its shape checked; later refreshes only describe it (and create it again if it was deleted).
     */
    private TopicInfo describeOrCreate(Namespace ns, boolean firstLook) {
        Optional<TopicDescription> existing = firstLook ? Optional.empty() : TopicMaker.describe(admin, ns.topic(), TIMEOUT);
        TopicDescription d = existing.orElseGet(() -> TopicMaker.ensure(admin, policy.forNamespace(ns), TIMEOUT));
        return new TopicInfo(ns.topic(), d.topicId(), d.partitions().size());
    }

    /** Created through the {@link TopicPolicy} with the configuration that gives it its meaning when missing. */
    @Override
    public TopicInfo ensure(SideTopic side) {
        TopicDescription d = TopicMaker.ensure(admin, policy.forSideTopic(side), TIMEOUT);
        return new TopicInfo(side.name(), d.topicId(), d.partitions().size());
    }

    @Override
    public void invalidate() {
        topics.clear();
    }

    @Override
    public boolean reachable(Duration timeout) {
        try {
            admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
