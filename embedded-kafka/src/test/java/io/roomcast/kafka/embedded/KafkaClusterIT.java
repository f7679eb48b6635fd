package io.roomcast.kafka.embedded;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Three child-JVM brokers: replicated topics survive a SIGKILL of the leader and the node rejoins. */
class KafkaClusterIT {

    @Test
    void shouldKeepEveryAcknowledgedRecordWhenTheLeaderIsKilledAndRestarted(@TempDir Path dir) throws Exception {
        try (KafkaCluster cluster = KafkaCluster.start(KafkaClusterConfig.of(3, dir))) {
            cluster.admin().createTopics(List.of(new NewTopic("t", Optional.of(1), Optional.empty()))).all().get();
            TopicPartition tp = new TopicPartition("t", 0);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "t");
            await(() -> cluster.inSyncReplicas(tp).size() == 3);
            // Brokers learn of a new topic from the metadata log after createTopics returns: a broker that
            // has not yet answers unknown_topic_or_partition (seen once on a loaded machine), so ask until one knows.
            Config config = org.awaitility.Awaitility.await().ignoreExceptions().atMost(Duration.ofSeconds(60))
                    .until(() -> cluster.admin().describeConfigs(List.of(resource)).all().get().get(resource), c -> c != null);
            assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");
            assertThat(config.get("unclean.leader.election.enable").value()).isEqualTo("false");

            List<String> acked = new ArrayList<>();
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                    ProducerConfig.LINGER_MS_CONFIG, 0, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 50; i++) {
                    producer.send(new ProducerRecord<>("t", "k", "v" + i)).get();
                    acked.add("v" + i);
                }
                int leader = cluster.leader(tp);
                cluster.kill(leader);
                for (int i = 50; i < 100; i++) {
                    producer.send(new ProducerRecord<>("t", "k", "v" + i)).get(60, TimeUnit.SECONDS);
                    acked.add("v" + i);
                }
                assertThat(cluster.leader(tp)).isNotEqualTo(leader).isPositive();
                cluster.start(leader);
                await(() -> cluster.inSyncReplicas(tp).equals(Set.of(1, 2, 3)));
            }
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                List<String> values = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (values.size() < acked.size() && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        values.add(r.value());
                    }
                }
                assertThat(values).containsExactlyElementsOf(acked);
            }
        }
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().ignoreExceptions().atMost(Duration.ofSeconds(60)).until(condition);
    }
}
