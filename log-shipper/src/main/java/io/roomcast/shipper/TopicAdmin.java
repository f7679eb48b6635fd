package io.roomcast.shipper;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the topics the shipper writes to when they are missing (with the broker's default
 * partition count and replication factor) and tells their partition counts. Short-lived: one
 * per start-up attempt, used by the shipper thread.
 */
final class TopicAdmin implements AutoCloseable {
    private final Admin admin;
    private final long timeoutMillis;

    TopicAdmin(ShipperConfig config, long timeoutMillis) {
        Map<String, Object> p = new HashMap<>();
        config.kafkaProperties().forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                p.put(k, v);
            }
        });
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "roomcast-shipper-admin-" + config.host());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMillis);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeoutMillis, 30_000));
        this.admin = Admin.create(p);
        this.timeoutMillis = timeoutMillis;
    }

    /** Creates {@code topic} if missing and returns its partition count. */
    int ensure(String topic) throws TimeoutException, ExecutionException, InterruptedException {
        try {
            admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())))
                    .all().get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(timeoutMillis, TimeUnit.MILLISECONDS).get(topic);
                return description.partitions().size();
            } catch (ExecutionException e) {
                // A topic just created may not be known to the broker answering yet.
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
