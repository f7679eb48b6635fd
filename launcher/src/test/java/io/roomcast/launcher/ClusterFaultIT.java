package io.roomcast.launcher;

import io.roomcast.client.ErrorCode;
import io.roomcast.client.RoomcastClient;
import io.roomcast.client.RoomcastException;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Roomcast on a replicated Kafka (three brokers in child JVMs, RF 3, min ISR 2, unclean election
 * off) under live load, through broker crashes, rolling edge restarts and leader moves. Small in
 * the suite; {@code -Droomcast.cluster.scale=N} runs N times the load and
 * {@code -Droomcast.cluster.kills=N} kills the leader N times (docs/operations.md has the command
 * and the figures). Each test prints one {@code FIGURES} line.
 */
class ClusterFaultIT {
    private static final long PACE_MILLIS = 10;
    /** How often the busy partition's leader is killed and restarted ({@code -Droomcast.cluster.kills=N}). */
    private static final int KILLS = Integer.getInteger("roomcast.cluster.kills", 1);
    private static ClusterRig rig;

    /** Kept when a test fails: each node's log and metadata log say what the cluster did. */
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    static Path dir;

    @BeforeAll
    static void startCluster() {
        rig = new ClusterRig(dir, 2, 2);
    }

    @BeforeEach
    void everyReplicaInSync() {
        rig.awaitAllInSync();
    }

    @AfterAll
    static void stopCluster() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void shouldDeliverEveryAckedPublishExactlyOnceWhenTheLeaderBrokerIsKilledAndRestarted() throws Exception {
        List<String> rooms = ClusterRig.newRooms(4);
        List<Map<String, RoomReader>> readers = List.of(readers(rooms, rig.client(List.of(rig.uri(0)))),
                readers(rooms, rig.client(List.of(rig.uri(1)))));
        PublishLoad load = new PublishLoad(rooms, PACE_MILLIS);
        load.startWebSocket(rig.client(List.of(rig.uri(0))), "ws-a");
        load.startWebSocket(rig.client(List.of(rig.uri(1))), "ws-b");
        load.startKafka(rig.kafkaProducer(), rig.topic, "kafka");
        awaitMoreAcks(load, 100);

        TopicPartition busy = rig.partitionOf(rooms.get(0));
        for (int kill = 0; kill < KILLS; kill++) {
            int leader = rig.cluster.leader(busy);
            rig.cluster.kill(leader);
            try {
                awaitMoreAcks(load, 100);
                assertThat(rig.cluster.leader(busy)).isNotEqualTo(leader);
            } finally {
                rig.cluster.start(leader); // the other tests share this cluster
            }
            await().ignoreExceptions().atMost(Duration.ofSeconds(90)).until(() -> rig.cluster.inSyncReplicas(busy).size() == 3);
            awaitMoreAcks(load, 100);
        }
        load.close();

        verify("broker-kill", rooms, load, readers, KILLS);
        assertThat(load.failureCounts().keySet()).as("edge publishes fail with unavailable or succeed, never hang")
                .allMatch(k -> k.endsWith(":unavailable") || k.endsWith(":outcome_unknown") || k.startsWith("kafka:"));
    }

    @Test
    void shouldLoseAndDuplicateNothingThroughARollingRestartOfEveryEdge() throws Exception {
        List<String> rooms = ClusterRig.newRooms(4);
        List<Map<String, RoomReader>> readers = List.of(readers(rooms, rig.client(rig.uris())),
                readers(rooms, rig.client(List.of(rig.uri(1), rig.uri(0)))));
        PublishLoad load = new PublishLoad(rooms, PACE_MILLIS);
        load.startWebSocket(rig.client(rig.uris()), "ws-a");
        load.startWebSocket(rig.client(List.of(rig.uri(1), rig.uri(0))), "ws-b");
        load.startKafka(rig.kafkaProducer(), rig.topic, "kafka");
        awaitMoreAcks(load, 100);

        for (int i = 0; i < 2; i++) {
            rig.restartEdge(i);
            awaitMoreAcks(load, 100);
        }
        load.close();

        verify("rolling-edge-restart", rooms, load, readers, 2);
    }

    @Test
    void shouldResumeExactlyWhileAPartitionsLeaderMoves() throws Exception {
        List<String> rooms = ClusterRig.newRooms(2);
        Map<String, RoomReader> resuming = new LinkedHashMap<>();
        rooms.forEach(r -> resuming.put(r, new RoomReader(r)));
        RoomcastClient first = rig.client(List.of(rig.uri(0)));
        resuming.values().forEach(r -> r.subscribeOn(first));
        PublishLoad load = new PublishLoad(rooms, PACE_MILLIS);
        load.startWebSocket(rig.client(List.of(rig.uri(1))), "ws-b");
        load.startKafka(rig.kafkaProducer(), rig.topic, "kafka");
        awaitMoreAcks(load, 50);

        TopicPartition busy = rig.partitionOf(rooms.get(0));
        int moves = 0;
        RoomcastClient current = first;
        for (int round = 0; round < 3; round++) {
            int leader = rig.cluster.leader(busy);
            List<Integer> replicas = new ArrayList<>(rig.cluster.nodeIds());
            replicas.remove(Integer.valueOf(leader));
            replicas.add(leader); // the old leader last: another replica becomes the preferred leader
            await().ignoreExceptions().atMost(Duration.ofSeconds(60)).until(() -> rig.cluster.inSyncReplicas(busy).size() == 3);
            rig.cluster.admin().alterPartitionReassignments(Map.of(busy, Optional.of(new NewPartitionReassignment(replicas))))
                    .all().get();
            await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() -> rig.cluster.admin().listPartitionReassignments().reassignments().get().isEmpty());
            rig.cluster.admin().electLeaders(ElectionType.PREFERRED, Set.of(busy)).partitions().get();
            // subscribers resume on the other edge while the leadership moves
            RoomcastClient next = rig.client(List.of(rig.uri(round % 2 == 0 ? 1 : 0)));
            resuming.values().forEach(r -> r.resumeOn(next));
            current.close();
            current = next;
            await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() -> rig.cluster.leader(busy) == replicas.get(0));
            moves++;
            awaitMoreAcks(load, 30);
        }
        load.close();

        verify("leader-move", rooms, load, List.of(resuming), moves);
    }

    @Test
    void shouldAnswerUnavailableInsteadOfHangingWhileTooFewReplicasAreInSync() throws Exception {
        String room = ClusterRig.newRooms(1).get(0);
        RoomcastClient client = rig.client(List.of(rig.uri(0)));
        long before = client.publish(room, Map.of("n", 0)).get(PublishLoad.HANG_MILLIS, TimeUnit.MILLISECONDS);
        TopicPartition tp = rig.partitionOf(room);
        int leader = rig.cluster.leader(tp);
        List<Integer> others = rig.cluster.nodeIds().stream().filter(id -> id != leader).toList();

        others.forEach(rig.cluster::kill); // the leader alone is below min.insync.replicas 2
        long start = System.nanoTime();
        long answeredMillis;
        try {
            assertThatThrownBy(() -> client.publish(room, Map.of("n", 1)).get(PublishLoad.HANG_MILLIS, TimeUnit.MILLISECONDS))
                    // Kafka refuses the write for too few in-sync replicas, but the producer retries it until its
                    // delivery timeout, so the edge cannot tell that it will never land: outcome_unknown, or
                    // unavailable once the circuit breaker has opened. Never a hang.
                    .cause().isInstanceOfSatisfying(RoomcastException.class,
                            e -> assertThat(e.code()).isIn(ErrorCode.UNAVAILABLE, ErrorCode.OUTCOME_UNKNOWN));
            answeredMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        } finally {
            // The brokers come back whatever happened: the other tests share this cluster.
            others.forEach(rig.cluster::start);
        }
        await().ignoreExceptions().atMost(Duration.ofSeconds(90)).until(() -> rig.cluster.inSyncReplicas(tp).size() == 3);
        long[] after = {-1};
        await().ignoreExceptions().atMost(Duration.ofSeconds(60)).until(() -> {
            try {
                after[0] = client.publish(room, Map.of("n", 2)).get(PublishLoad.HANG_MILLIS, TimeUnit.MILLISECONDS);
                return true;
            } catch (ExecutionException e) {
                return false; // unavailable until the edge's circuit breaker lets publishes through again
            }
        });
        System.out.printf("FIGURES test=min-isr faults=%d unavailableAfterMs=%d%n", others.size(), answeredMillis);
        assertThat(after[0]).isGreaterThan(before);
    }

    private static Map<String, RoomReader> readers(List<String> rooms, RoomcastClient client) {
        Map<String, RoomReader> out = new LinkedHashMap<>();
        for (String room : rooms) {
            RoomReader r = new RoomReader(room);
            r.subscribeOn(client);
            out.put(room, r);
        }
        return out;
    }

    private static void awaitMoreAcks(PublishLoad load, int more) {
        long target = load.ackedCount() + (long) more * ClusterRig.SCALE;
        try {
            await().ignoreExceptions().atMost(Duration.ofSeconds(120)).until(() -> load.ackedCount() >= target);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // What the publishers saw, so a timeout says whether the edges answered (and how) or hung.
            System.out.printf("STALLED acked=%d target=%d attempts=%d failures=%s%n", load.ackedCount(), target,
                    load.attempts.get(), load.failureCounts());
            throw e;
        }
    }

    /** Every subscriber holds exactly what Kafka holds for its room, in order, and that includes every acknowledged publish. */
    private static void verify(String name, List<String> rooms, PublishLoad load, List<Map<String, RoomReader>> readers, int faults) {
        Map<String, List<Long>> truth = rig.kafkaLog(rooms);
        BooleanSupplier caughtUp = () -> readers.stream().allMatch(m -> m.values().stream()
                .allMatch(r -> r.offsets().size() >= truth.get(r.room).size()));
        await().ignoreExceptions().atMost(Duration.ofSeconds(60)).until(caughtUp::getAsBoolean);
        long lost = 0;
        long duplicated = 0;
        long delivered = 0;
        for (Map<String, RoomReader> m : readers) {
            for (RoomReader r : m.values()) {
                List<Long> seen = r.offsets();
                delivered += seen.size();
                duplicated += seen.size() - new HashSet<>(seen).size();
                lost += load.acked.get(r.room).stream().filter(o -> !seen.contains(o)).count();
            }
        }
        long events = truth.values().stream().mapToLong(List::size).sum();
        System.out.printf("FIGURES test=%s events=%d acked=%d delivered=%d faults=%d lost=%d duplicated=%d longestStallMs=%d "
                        + "longestPublishMs=%d failures=%s%n", name, events, load.ackedCount(), delivered, faults, lost, duplicated,
                load.longestStallMillis.get(), load.longestPublishMillis.get(), load.failureCounts());
        for (Map<String, RoomReader> m : readers) {
            for (RoomReader r : m.values()) {
                assertThat(r.offsets()).as("what a subscriber of %s saw", r.room).containsExactlyElementsOf(truth.get(r.room));
                assertThat(r.gaps()).isZero();
            }
        }
        rooms.forEach(room -> assertThat(truth.get(room)).as("acked publishes in Kafka").containsAll(load.acked.get(room)));
        assertThat(lost).isZero();
        assertThat(duplicated).isZero();
    }
}
