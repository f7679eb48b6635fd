package io.roomcast.producer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the topics the producer reads and writes when they are missing, with the configured
 * partition count and the broker's default replication factor. Existing topics are left as
 * they are (changing their partition count would move rooms between partitions).
 */
final class TopicSetup {
    private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);

    private TopicSetup() {
    }

    static void ensure(Admin admin, Collection<String> topics, int partitions, Duration timeout) {
        List<NewTopic> wanted = topics.stream().distinct()
                .map(topic -> new NewTopic(topic, Optional.of(partitions), Optional.empty())).toList();
        admin.createTopics(wanted).values().forEach((topic, future) -> {
            try {
                future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                log.atInfo().addKeyValue("topic", topic).addKeyValue("partitions", partitions).log("topic created");
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("Kafka did not create topic " + topic + " within " + timeout.toMillis() + " ms", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topics", e);
            }
        });
    }
}
