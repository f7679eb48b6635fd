package io.roomcast.topic;

import io.roomcast.room.Namespace;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicPolicyTest {
    private static final Namespace LOGS = new Namespace("logs", "roomcast.logs", 4, Duration.ofDays(1), 1000);

    @Test
    void shouldGiveANamespaceTopicItsPartitionsRetentionAndTheDeploymentsReplication() {
        TopicSpec spec = TopicPolicy.replicated().forNamespace(LOGS);

        assertThat(spec.partitions()).isEqualTo(4);
        assertThat(spec.replicationFactor()).isEqualTo((short) 3);
        assertThat(spec.configs()).containsEntry("retention.ms", "86400000").containsEntry("min.insync.replicas", "2")
                .containsEntry("unclean.leader.election.enable", "false").containsEntry("cleanup.policy", "delete");
        assertThat(spec.newTopic().replicationFactor()).isEqualTo((short) 3);
    }

    @Test
    void shouldLeaveReplicationToTheBrokerByDefault() {
        TopicSpec spec = TopicPolicy.brokerDefaults().forNamespace(LOGS);

        assertThat(spec.newTopic().replicationFactor()).isEqualTo((short) -1);
        assertThat(spec.configs()).doesNotContainKey("min.insync.replicas");
    }

    @Test
    void shouldCompactTheCompactedTopics() {
        TopicSpec spec = TopicPolicy.replicated().forSideTopic(SideTopic.compacted("roomcast.presence", 4, Duration.ofHours(1)));

        assertThat(spec.configs()).containsEntry("cleanup.policy", "compact").containsEntry("min.insync.replicas", "2")
                .containsEntry("unclean.leader.election.enable", "false").doesNotContainKey("retention.ms");
        assertThat(spec.replicationFactor()).isEqualTo((short) 3);
    }

    @Test
    void shouldNameEveryDifferenceOfAnExistingTopic() {
        TopicSpec spec = TopicPolicy.replicated().forNamespace(LOGS);
        Node n = new Node(1, "h", 1);
        TopicDescription actual = new TopicDescription("roomcast.logs", false,
                List.of(new TopicPartitionInfo(0, n, List.of(n), List.of(n))), Set.of(), Uuid.randomUuid());

        List<String> differences = spec.differences(actual, Map.of("retention.ms", "604800000", "min.insync.replicas", "1",
                "unclean.leader.election.enable", "false", "cleanup.policy", "delete"));

        assertThat(differences).containsExactlyInAnyOrder("partitions: wanted 4, found 1", "replication factor: wanted 3, found 1",
                "retention.ms: wanted 86400000, found 604800000", "min.insync.replicas: wanted 2, found 1");
    }

    @Test
    void shouldRefuseNonsense() {
        assertThatThrownBy(() -> new TopicPolicy((short) 0, 1)).hasMessageContaining("replication factor");
        assertThatThrownBy(() -> new TopicPolicy((short) 3, 4)).hasMessageContaining("would refuse every write");
        assertThatThrownBy(() -> new TopicPolicy((short) 3, -7)).hasMessageContaining("min.insync.replicas");
    }
}
