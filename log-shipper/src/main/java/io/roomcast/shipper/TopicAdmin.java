package io.roomcast.shipper;

import io.roomcast.topic.TopicMaker;
import io.roomcast.topic.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Creates the topics the shipper writes to when they are missing (through broker-core's topic
 * policy, see {@link TopicLayout}) and tells their partition counts. Short-lived: one
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

    @Override
    public void close() {
        admin.close();
    }
}
