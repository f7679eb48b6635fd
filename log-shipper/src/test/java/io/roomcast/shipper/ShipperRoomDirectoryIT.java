package io.roomcast.shipper;

import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import io.roomcast.topic.TopicPolicy;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The room directory topic the shipper creates when no edge has yet. */
class ShipperRoomDirectoryIT {
    @TempDir
    Path dir;

    private final ShipperFixture fixture = new ShipperFixture(TestKafka.bootstrapServers());

    @AfterEach
    void tearDown() {
        fixture.stopShippers();
    }

    @Test
    void shouldCreateTheDirectoryTopicThroughTheDeploymentsTopicPolicy() {
        // It was once created with a bare NewTopic: the broker's replication and min.insync.replicas, whatever the
        // deployment configured for every other topic.
        String prefix = TestNames.unique("dir");
        String directory = prefix + ".rooms";
        SourceConfig source = SourceConfig.file(dir.resolve("*.log").toString(), fixture.room).withTopic(prefix + ".logs");
        fixture.start(new ShipperConfig(fixture.bootstrap, "test-host", List.of(source),
                TopicLayout.defaults().withPolicy(new TopicPolicy((short) 1, 1)), ShipperFixture.fastSettings(), Map.of(),
                ZoneOffset.UTC), null);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, directory);
            Config config = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> admin.describeConfigs(List.of(topic)).all().get().get(topic), c -> c != null);
            assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
            assertThat(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG)).satisfies(e -> {
                assertThat(e.value()).isEqualTo("1");
                assertThat(e.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            });
            assertThat(config.get(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG)).satisfies(e -> {
                assertThat(e.value()).isEqualTo("false");
                assertThat(e.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            });
        }
    }
}
