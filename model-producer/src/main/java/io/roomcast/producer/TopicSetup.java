package io.roomcast.producer;

import io.roomcast.room.NamespaceSpec;
import io.roomcast.room.Namespaces;
import io.roomcast.topic.TopicMaker;
import io.roomcast.topic.TopicPolicy;
import org.apache.kafka.clients.admin.Admin;

import java.time.Duration;
import java.util.Map;

/**
 * Creates the topics the producer reads and writes when they are missing, through broker-core's
 * one {@link TopicPolicy}: the namespace's retention, the deployment's replication, the
 * configured partition count. Existing topics are left as they are (changing their partition
 * count would move rooms between partitions); a different shape gets a warning.
 */
final class TopicSetup {
    private TopicSetup() {
    }

    /** @param topics topic -> the namespace it holds */
    static void ensure(Admin admin, Map<String, String> topics, int partitions, TopicPolicy policy, Duration timeout) {
        Namespaces defaults = Namespaces.ofDefaults();
        topics.forEach((topic, namespace) -> TopicMaker.ensure(admin,
                policy.forNamespace(NamespaceSpec.parse(namespace, defaults).withTopic(topic).withPartitions(partitions)), timeout));
    }
}
