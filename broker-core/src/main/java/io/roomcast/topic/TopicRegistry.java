package io.roomcast.topic;

import io.roomcast.room.Namespace;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.room.RoomPartitioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Maps rooms to their Kafka partitions and epochs, creating namespace topics on first use
 * (with the namespace's partition count and retention). Topic descriptions are cached for a
 * short time so that a re-created or re-partitioned topic is noticed and its new epoch used.
 *
 * <p>Thread-safety: safe for concurrent use. {@link #locate} may block on Kafka (up to its
 * timeout), so never call it on an IO thread.
 */
public final class TopicRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TopicRegistry.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;
    private final Namespaces namespaces;
    private final short replicationFactor;
    private final Duration cacheTtl;
    private final Clock clock;
    private final Map<String, Cached> topics = new ConcurrentHashMap<>();

    private record Cached(TopicInfo info, long expiresAtMillis) {
    }

    /**
     * @param clientSettings further admin client settings (security, SASL, TLS, timeouts); they win over
     *                       Roomcast's defaults, but not over the bootstrap servers
     */
    public TopicRegistry(String bootstrapServers, Map<String, Object> clientSettings, Namespaces namespaces, short replicationFactor,
                         Duration cacheTtl, Clock clock) {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.putAll(clientSettings);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.admin = Admin.create(props);
        this.namespaces = namespaces;
        this.replicationFactor = replicationFactor;
        this.cacheTtl = cacheTtl;
        this.clock = clock;
    }

    public Namespaces namespaces() {
        return namespaces;
    }

    /** The partition and epoch of {@code room}; creates its namespace's topic when missing. */
    public RoomLocation locate(RoomName room) {
        Namespace ns = namespaces.of(room);
        TopicInfo info = info(ns);
        TopicPartition tp = new TopicPartition(ns.topic(), RoomPartitioner.partition(room, info.partitions()));
        return new RoomLocation(room, ns, tp, info.epoch());
    }

    /** Creates every configured namespace's topic that does not exist yet. */
    public void ensureAll() {
        namespaces.all().forEach(this::info);
    }

    /** The cached description of the namespace's topic, refreshed when older than the cache TTL. */
    public TopicInfo info(Namespace ns) {
        long now = clock.millis();
        Cached cached = topics.get(ns.topic());
        if (cached != null && cached.expiresAtMillis > now) {
            return cached.info;
        }
        TopicInfo info = describeOrCreate(ns);
        topics.put(ns.topic(), new Cached(info, now + cacheTtl.toMillis()));
        if (cached != null && !cached.info.equals(info)) {
            log.atWarn().addKeyValue("topic", ns.topic()).addKeyValue("oldEpoch", cached.info.epoch())
                    .addKeyValue("newEpoch", info.epoch()).log("topic changed: new epoch");
        }
        return info;
    }

    /**
     * The description of a side topic, created with its configuration when missing. An existing
     * topic is taken as it is (its partition count may differ from the spec's). Not cached: callers
     * look it up once at start-up. May block on Kafka; never call it on an IO thread.
     */
    public TopicInfo ensure(SideTopic side) {
        Optional<TopicInfo> existing = describe(side.name());
        if (existing.isPresent()) {
            return existing.get();
        }
        NewTopic topic = new NewTopic(side.name(), Optional.of(side.partitions()),
                replicationFactor < 1 ? Optional.empty() : Optional.of(replicationFactor)).configs(side.configs());
        create(topic);
        log.atInfo().addKeyValue("topic", side.name()).addKeyValue("partitions", side.partitions())
                .addKeyValue("configs", side.configs()).log("created side topic");
        return awaitDescription(side.name());
    }

    private void create(NewTopic topic) {
        try {
            admin.createTopics(List.of(topic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new KafkaUnavailableException("cannot create topic " + topic.name(), e.getCause());
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new KafkaUnavailableException("creating topic " + topic.name() + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted", e);
        }
    }

    private TopicInfo describeOrCreate(Namespace ns) {
        Optional<TopicInfo> existing = describe(ns.topic());
        if (existing.isPresent()) {
            return existing.get();
        }
        NewTopic topic = new NewTopic(ns.topic(), Optional.of(ns.partitions()), replicationFactor < 1 ? Optional.empty() : Optional.of(replicationFactor))
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(ns.retention().toMillis())));
        try {
            admin.createTopics(List.of(topic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.atInfo().addKeyValue("topic", ns.topic()).addKeyValue("partitions", ns.partitions())
                    .addKeyValue("retentionMs", ns.retention().toMillis()).log("created topic");
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new KafkaUnavailableException("cannot create topic " + ns.topic(), e.getCause());
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new KafkaUnavailableException("creating topic " + ns.topic() + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted", e);
        }
        return awaitDescription(ns.topic());
    }

    /** A topic just created may take a moment to show up in the metadata of the broker asked. */
    private TopicInfo awaitDescription(String topic) {
        for (int attempt = 0; attempt < 50; attempt++) {
            Optional<TopicInfo> info = describe(topic);
            if (info.isPresent()) {
                return info.get();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new KafkaUnavailableException("topic " + topic + " was created but does not show up in the metadata", null);
    }

    private Optional<TopicInfo> describe(String topic) {
        try {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            return Optional.of(new TopicInfo(topic, d.topicId(), d.partitions().size()));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw new KafkaUnavailableException("cannot describe topic " + topic, e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new KafkaUnavailableException("describing topic " + topic + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted", e);
        }
    }

    /** Forgets cached descriptions, so the next lookup asks Kafka. */
    public void invalidate() {
        topics.clear();
    }

    /** Whether Kafka answers a metadata request within {@code timeout}. */
    public boolean reachable(Duration timeout) {
        try {
            admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
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
