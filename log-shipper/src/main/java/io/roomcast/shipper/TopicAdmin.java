package io.roomcast.shipper;

import io.roomcast.topic.TopicMaker;
import io.roomcast.topic.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates the topics the shipper writes to when they are missing (through broker-core's topic
 * policy, see {@link TopicLayout}) and tells their partition counts and record size limits. Short-lived: one
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

    /** Creates the topic if missing (warning when it exists with another shape) and returns its partition count. */
    int ensure(TopicSpec spec) {
        return TopicMaker.ensure(admin, spec, Duration.ofMillis(timeoutMillis)).partitions().size();
    }

    /**
     * The topic's {@code max.message.bytes}: the largest record batch the brokers accept into it.
     *
     * @throws java.util.concurrent.TimeoutException when Kafka does not answer within the timeout
     * @throws KafkaException                        when Kafka answers with an error
     */
    int maxMessageBytes(String topic) throws java.util.concurrent.TimeoutException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config;
        try {
            config = admin.describeConfigs(List.of(resource)).all().get(timeoutMillis, TimeUnit.MILLISECONDS).get(resource);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while reading the limits of " + topic, e);
        }
        ConfigEntry entry = config == null ? null : config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        return entry == null || entry.value() == null ? Integer.MAX_VALUE : Integer.parseInt(entry.value().trim());
    }

    @Override
    public void close() {
        admin.close();
    }
}
