package io.roomcast.topic;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates a topic with its {@link TopicSpec} when it is missing, and warns, naming each
 * difference, when it exists with another shape. An existing topic is never altered: changing its
 * partition count would move rooms between partitions (a new epoch), and its retention or
 * replication is the operator's call.
 *
 * <p>Thread-safety: stateless; the calls block on Kafka up to the timeout, so never call them on
 * an IO thread.
 */
public final class TopicMaker {
    private static final Logger log = LoggerFactory.getLogger(TopicMaker.class);

    private TopicMaker() {
    }

    /** Creates the topic if missing, checks its shape, and returns its description. */
    public static TopicDescription ensure(Admin admin, TopicSpec spec, Duration timeout) {
        Optional<TopicDescription> existing = describe(admin, spec.topic(), timeout);
        if (existing.isEmpty()) {
            create(admin, spec, timeout);
            existing = Optional.of(awaitDescription(admin, spec.topic(), timeout));
        }
        warnIfDifferent(admin, spec, existing.get(), timeout);
        return existing.get();
    }

    private static void create(Admin admin, TopicSpec spec, Duration timeout) {
        try {
            admin.createTopics(List.of(spec.newTopic())).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            log.atInfo().addKeyValue("topic", spec.topic()).addKeyValue("partitions", spec.partitions())
                    .addKeyValue("replicationFactor", spec.replicationFactor()).addKeyValue("configs", spec.configs())
                    .log("created topic");
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new KafkaUnavailableException("cannot create topic " + spec.topic() + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException("creating topic " + spec.topic() + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted", e);
        }
    }

    /** Logs one warning naming every difference between the topic and its spec; returns them. */
    static List<String> warnIfDifferent(Admin admin, TopicSpec spec, TopicDescription actual, Duration timeout) {
        Map<String, String> actualConfigs;
        TopicSpec checked = spec;
        try {
            actualConfigs = configs(admin, spec.topic(), timeout);
        } catch (KafkaUnavailableException e) {
            // a client allowed to describe topics but not their configs (ACLs) still starts
            log.atWarn().addKeyValue("topic", spec.topic()).addKeyValue("reason", String.valueOf(e.getCause()))
                    .log("cannot read the topic's configs; checking only its partitions and replication");
            actualConfigs = Map.of();
            checked = new TopicSpec(spec.topic(), spec.partitions(), spec.replicationFactor(), Map.of());
        }
        List<String> differences = checked.differences(actual, actualConfigs);
        warnIfUnwritable(spec.topic(), actual, actualConfigs);
        if (!differences.isEmpty()) {
            log.atWarn().addKeyValue("topic", spec.topic()).addKeyValue("differences", differences)
                    .log("topic " + spec.topic() + " exists with another shape than Roomcast's topic policy; left as it is: " + String.join("; ", differences));
        }
        return differences;
    }

    /** A topic with fewer replicas than {@code min.insync.replicas} refuses every acknowledged write. */
    private static void warnIfUnwritable(String topic, TopicDescription actual, Map<String, String> configs) {
        String minIsr = configs.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
        int replicas = actual.partitions().isEmpty() ? 0 : actual.partitions().get(0).replicas().size();
        if (minIsr != null && minIsr.matches("\\d+") && Integer.parseInt(minIsr) > replicas) {
            log.atWarn().addKeyValue("topic", topic).addKeyValue("replicas", replicas).addKeyValue("minInsyncReplicas", minIsr)
                    .log("topic " + topic + " has " + replicas + " replicas but min.insync.replicas " + minIsr
                            + ": Kafka will refuse every publish to it");
        }
    }

    private static Map<String, String> configs(Admin admin, String topic, Duration timeout) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Config config = admin.describeConfigs(List.of(resource)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(resource);
            Map<String, String> out = new HashMap<>();
            for (ConfigEntry entry : config.entries()) {
                if (entry.value() != null) {
                    out.put(entry.name(), entry.value());
                }
            }
            return out;
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaUnavailableException("cannot describe the configs of topic " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted", e);
        }
    }

    /** The topic's description, or empty when it does not exist. */
    public static Optional<TopicDescription> describe(Admin admin, String topic, Duration timeout) {
        try {
            return Optional.of(admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw new KafkaUnavailableException("cannot describe topic " + topic, e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException("describing topic " + topic + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted", e);
        }
    }

    /** A topic just created may take a moment to show up in the metadata of the broker asked. */
    /**
     * The new topic's description once every partition has a leader. Writing to a partition before that loses data
     * with Kafka's idempotent producer: its first batch is refused (NOT_LEADER_OR_FOLLOWER) while a later one of the
     * same producer, sent behind it, is taken as that producer's first on the partition, and the retried first batch
     * then fails as out of sequence until the delivery timeout (seen once in a log-shipper test on a loaded machine).
     */
    private static TopicDescription awaitDescription(Admin admin, String topic, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<TopicDescription> d = describe(admin, topic, timeout);
            if (d.isPresent() && d.get().partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                return d.get();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new KafkaUnavailableException("topic " + topic + " was created but does not show up in the metadata with a leader for"
                + " every partition", null);
    }
}
