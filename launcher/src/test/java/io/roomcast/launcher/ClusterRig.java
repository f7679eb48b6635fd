package io.roomcast.launcher;

import io.roomcast.client.ClientOptions;
import io.roomcast.client.RoomcastClient;
import io.roomcast.edge.EdgeConfig;
import io.roomcast.edge.EdgeServer;
import io.roomcast.kafka.embedded.FreePort;
import io.roomcast.kafka.embedded.KafkaCluster;
import io.roomcast.room.Namespace;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.room.RoomPartitioner;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A replicated deployment for the cluster fault tests: three Kafka brokers in child JVMs (RF 3,
 * {@code min.insync.replicas} 2), edges on fixed ports (so a restarted edge comes back where the
 * clients look for it), one namespace topic, a few rooms. {@code -Droomcast.cluster.scale=N}
 * multiplies the load phases for the full-size run described in docs/operations.md.
 */
final class ClusterRig implements AutoCloseable {
    static final int SCALE = Integer.getInteger("roomcast.cluster.scale", 1);

    final KafkaCluster cluster;
    final String topic = TestNames.unique("cluster") + ".chat";
    final Namespaces namespaces;
    private final int[] ports;
    private final EdgeServer[] edges;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    ClusterRig(Path dir, int edgeCount, int partitions) {
        cluster = TestKafka.startCluster(dir);
        namespaces = Namespaces.of(new Namespace("chat", topic, partitions, Duration.ofDays(1), 100));
        ports = IntStream.range(0, edgeCount).map(i -> FreePort.find()).toArray();
        edges = new EdgeServer[edgeCount];
        for (int i = 0; i < edgeCount; i++) {
            startEdge(i);
        }
    }

    void startEdge(int i) {
        edges[i] = EdgeServer.start(EdgeConfig.builder(cluster.bootstrapServers()).host("127.0.0.1").port(ports[i])
                .namespaces(namespaces).replicationFactor((short) 3).minInsyncReplicas(2)
                .drainDelay(Duration.ofMillis(500)).publishesPerSecond(10_000).framesPerSecond(10_000).build());
    }

    EdgeServer edge(int i) {
        return edges[i];
    }

    /** A graceful restart, as a rolling deployment does it: drain, stop, start again on the same port. */
    void restartEdge(int i) {
        edges[i].shutdownGracefully(Duration.ofSeconds(10));
        startEdge(i);
    }

    URI uri(int i) {
        return URI.create("ws://127.0.0.1:" + ports[i] + "/ws");
    }

    List<URI> uris() {
        return IntStream.range(0, ports.length).mapToObj(this::uri).toList();
    }

    RoomcastClient client(List<URI> uris) {
        RoomcastClient c = RoomcastClient.connect(uris, ClientOptions.builder().pingInterval(Duration.ofMillis(500))
                .pongTimeout(Duration.ofSeconds(2)).publishTimeout(Duration.ofMillis(PublishLoad.HANG_MILLIS)).build());
        closeables.add(c);
        return c;
    }

    KafkaProducer<String, String> kafkaProducer() {
        KafkaProducer<String, String> p = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000),
                new StringSerializer(), new StringSerializer());
        closeables.add(p);
        return p;
    }

    /**
     * Waits until every broker serves and every partition of the topic has all three replicas in
     * sync again (after an earlier test's faults). A node an earlier, failed test left down is
     * started first, so one failure does not cascade into the tests after it.
     */
    void awaitAllInSync() {
        cluster.nodeIds().stream().filter(id -> !cluster.isRunning(id)).forEach(cluster::start);
        cluster.awaitBrokers(cluster.nodeIds(), Duration.ofSeconds(120));
        int partitions = namespaces.find("chat").orElseThrow().partitions();
        org.awaitility.Awaitility.await().ignoreExceptions().atMost(Duration.ofSeconds(120)).until(() -> IntStream.range(0, partitions)
                .allMatch(p -> cluster.inSyncReplicas(new TopicPartition(topic, p)).size() == 3));
    }

    TopicPartition partitionOf(String room) {
        int partitions = namespaces.find("chat").orElseThrow().partitions();
        return new TopicPartition(topic, RoomPartitioner.partition(RoomName.of(room), partitions));
    }

    /** Every room's offsets as Kafka holds them, read straight from the partitions: the truth to compare with. */
    static List<String> newRooms(int count) {
        return IntStream.range(0, count).mapToObj(i -> "chat:" + TestNames.unique("r" + i)).toList();
    }

    Map<String, List<Long>> kafkaLog(List<String> rooms) {
        Map<String, List<Long>> out = new HashMap<>();
        rooms.forEach(r -> out.put(r, new ArrayList<>()));
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> tps = rooms.stream().map(this::partitionOf).distinct().toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    List<Long> offsets = out.get(r.key());
                    if (offsets != null) {
                        offsets.add(r.offset());
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing what is left after a test
            }
        }
        for (EdgeServer e : edges) {
            if (e != null) {
                e.close();
            }
        }
        cluster.close();
    }
}
