package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.edge.presence.PresenceConfig;
import io.roomcast.room.Namespaces;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Presence across two edges on a real Kafka: both edges list the same members, a clean leave is
 * seen at once, and the members of an edge that stops renewing (as a killed edge would) leave
 * within the TTL as seen from the other edge.
 */
class EdgePresenceIT {
    private static final Duration TTL = Duration.ofSeconds(3);
    private static Namespaces namespaces;
    private static UnaryOperator<EdgeConfig.Builder> config;
    private static EdgeServer first;
    private static EdgeServer second;

    @BeforeAll
    static void start() {
        namespaces = EdgeFixture.isolatedNamespaces();
        PresenceConfig presence = PresenceConfig.ofDefaults().withTopic(TestNames.unique("t") + ".presence").withTtl(TTL)
                .withWritesPerSecond(5);
        config = b -> b.presence(presence);
        first = EdgeFixture.start(namespaces, config);
        second = EdgeFixture.start(namespaces, config);
    }

    @AfterAll
    static void stop() {
        first.close();
        second.close();
    }

    private static String room() {
        return "chat:presence-" + TestNames.unique();
    }

    private static WsClient enter(EdgeServer edge, String room, String name) {
        WsClient c = WsClient.connect(edge.wsUrl());
        c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"presence\":true,\"name\":\"" + name + "\"}");
        c.nextOp("subscribed");
        return c;
    }

    /** Reads join/leave frames until the client has seen exactly {@code names} present. */
    private static void awaitMembers(WsClient c, Set<String> names) {
        Set<String> seen = new TreeSet<>();
        while (!seen.equals(new TreeSet<>(names))) {
            JsonNode f = c.next();
            switch (f.path("op").asText()) {
                case "join" -> seen.add(f.path("member").path("name").asText());
                case "leave" -> seen.remove(f.path("member").path("name").asText());
                default -> {
                }
            }
        }
    }

    private static JsonNode query(WsClient c, String room) {
        c.send("{\"op\":\"presence\",\"id\":\"q\",\"room\":\"" + room + "\"}");
        while (true) {
            JsonNode f = c.nextOp("presence");
            if ("q".equals(f.path("id").asText())) {
                return f;
            }
        }
    }

    private static boolean isJoinOf(JsonNode frame, String name) {
        return "join".equals(frame.path("op").asText()) && name.equals(frame.path("member").path("name").asText());
    }

    private static List<String> clients(JsonNode presence) {
        List<String> out = new ArrayList<>();
        presence.path("members").forEach(m -> out.add(m.path("client").asText()));
        return out;
    }

    @Test
    void shouldListTheSameMembersOnBothEdges() {
        String room = room();
        try (WsClient ann = enter(first, room, "Ann"); WsClient bob = enter(second, room, "Bob")) {
            awaitMembers(ann, Set.of("Ann", "Bob"));
            awaitMembers(bob, Set.of("Ann", "Bob"));
            try (WsClient observer = WsClient.connect(first.wsUrl()); WsClient other = WsClient.connect(second.wsUrl())) {
                JsonNode onFirst = query(observer, room);
                JsonNode onSecond = query(other, room);
                assertThat(onFirst.path("count").asInt()).isEqualTo(2);
                assertThat(clients(onFirst)).hasSize(2).containsExactlyElementsOf(clients(onSecond));
                JsonNode member = onFirst.path("members").get(0);
                assertThat(member.path("name").asText()).isIn("Ann", "Bob");
                assertThat(member.path("user").isNull()).isTrue();
                assertThat(member.path("verified").asBoolean()).isFalse();
                assertThat(member.path("since").asLong()).isPositive();
            }
        }
    }

    /** The next join, leave or sync frame (a {@code live} frame may come between them). */
    private static JsonNode nextPresenceFrame(WsClient c) {
        while (true) {
            JsonNode f = c.next();
            if (Set.of("join", "leave", "sync").contains(f.path("op").asText())) {
                return f;
            }
        }
    }

    @Test
    void shouldMarkTheEndOfTheMembersAlreadyThereWithSync() {
        String room = room();
        try (WsClient ann = enter(first, room, "Ann")) {
            JsonNode empty = nextPresenceFrame(ann);
            assertThat(empty.path("op").asText()).as("an empty room's list is a sync at once: %s", empty).isEqualTo("sync");
            assertThat(empty.path("count").asInt()).isZero();
            assertThat(isJoinOf(nextPresenceFrame(ann), "Ann")).as("then the connection's own join").isTrue();
            try (WsClient bob = enter(second, room, "Bob")) {
                assertThat(isJoinOf(nextPresenceFrame(bob), "Ann")).as("who was there").isTrue();
                JsonNode sync = nextPresenceFrame(bob);
                assertThat(sync.path("op").asText()).as("%s", sync).isEqualTo("sync");
                assertThat(sync.path("room").asText()).isEqualTo(room);
                assertThat(sync.path("count").asInt()).isEqualTo(1);
                assertThat(isJoinOf(nextPresenceFrame(bob), "Bob")).as("then Bob's own join, a change").isTrue();
            }
        }
    }

    @Test
    void shouldNotTellANewcomerOfMembersWhoCameAndWentBefore() {
        String room = room();
        for (String name : List.of("Ann", "Bob", "Cat")) {
            try (WsClient c = enter(first, room, name)) {
                awaitMembers(c, Set.of(name));
            }
        }
        for (EdgeServer edge : List.of(first, second)) {
            try (WsClient observer = WsClient.connect(edge.wsUrl())) {
                await().atMost(Duration.ofSeconds(20)).until(() -> query(observer, room).path("count").asInt() == 0);
            }
        }
        // Each edge reads the room's partition again for the newcomer, past three leases and their tombstones:
        // those are history, not joins and leaves of the newcomer's time.
        for (EdgeServer edge : List.of(first, second)) {
            try (WsClient dave = enter(edge, room, "Dave")) {
                JsonNode sync = nextPresenceFrame(dave);
                assertThat(sync.path("op").asText()).as("the empty room's sync comes first: %s", sync).isEqualTo("sync");
                assertThat(sync.path("count").asInt()).isZero();
                assertThat(isJoinOf(nextPresenceFrame(dave), "Dave")).as("then Dave's own join").isTrue();
            }
        }
    }

    @Test
    void shouldKeepTheNewNameOfAConnectionThatRenamedBeforeItsFirstLeaseWasWritten() {
        String room = room();
        // A fresh edge has read no presence partition yet: its first entry waits for that read, and the
        // rename's second entry (same connection, same key) waits for the same read.
        EdgeServer fresh = EdgeFixture.start(namespaces, config);
        try (WsClient renamer = WsClient.connect(fresh.wsUrl())) {
            renamer.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"presence\":true,\"name\":\"Old\"}");
            renamer.nextOp("subscribed");
            renamer.send("{\"op\":\"unsubscribe\",\"id\":2,\"room\":\"" + room + "\"}");
            renamer.send("{\"op\":\"subscribe\",\"id\":3,\"room\":\"" + room + "\",\"presence\":true,\"name\":\"New\"}");
            // the new lease read back: both entries' reads are answered by now
            List<JsonNode> seen = new ArrayList<>();
            while (seen.isEmpty() || !isJoinOf(seen.get(seen.size() - 1), "New")) {
                try {
                    seen.add(renamer.next());
                } catch (AssertionError e) {
                    throw new AssertionError("the renamed member never joined; the connection saw " + seen, e);
                }
            }
            // Zed's lease follows through the same producer into the same partition: once the edge lists
            // Zed, every lease written before it is applied too.
            try (WsClient zed = enter(fresh, room, "Zed")) {
                await().atMost(Duration.ofSeconds(10)).until(() -> query(zed, room).path("count").asInt() == 2);
                List<String> names = new ArrayList<>();
                query(zed, room).path("members").forEach(m -> names.add(m.path("name").asText()));
                assertThat(names).containsExactlyInAnyOrder("New", "Zed");
            }
        } finally {
            fresh.close();
        }
    }

    @Test
    void shouldSeeACleanLeaveFromTheOtherEdge() {
        String room = room();
        try (WsClient ann = enter(first, room, "Ann")) {
            try (WsClient bob = enter(second, room, "Bob")) {
                awaitMembers(ann, Set.of("Ann", "Bob"));
                bob.send("{\"op\":\"unsubscribe\",\"id\":2,\"room\":\"" + room + "\"}");
                long start = System.nanoTime();
                JsonNode leave = ann.nextOp("leave");
                assertThat(leave.path("member").path("name").asText()).isEqualTo("Bob");
                assertThat(leave.path("count").asInt()).isEqualTo(1);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a tombstone, not an expiry").isLessThan(TTL);
            }
            // a closed connection leaves too
            try (WsClient cid = enter(second, room, "Cid")) {
                assertThat(ann.nextOp("join").path("member").path("name").asText()).isEqualTo("Cid");
            }
            assertThat(ann.nextOp("leave").path("member").path("name").asText()).isEqualTo("Cid");
        }
    }

    @Test
    void shouldLetTheMembersOfAStoppedEdgeLeaveWithinTheTtl() {
        String room = room();
        EdgeServer doomed = EdgeFixture.start(namespaces, config);
        try (WsClient ann = enter(first, room, "Ann"); WsClient dan = enter(doomed, room, "Dan")) {
            awaitMembers(ann, Set.of("Ann", "Dan"));
            // What a kill -9 leaves behind: leases that are neither renewed nor tombstoned.
            doomed.backbone().presence().close();
            long start = System.nanoTime();
            JsonNode leave = ann.nextOp("leave");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(leave.path("member").path("name").asText()).isEqualTo("Dan");
            assertThat(took).as("worst case: the TTL plus a second").isLessThan(TTL.plusSeconds(2));
            // Every edge expires the lease on its own: the other edge within the same worst case.
            try (WsClient other = WsClient.connect(second.wsUrl())) {
                org.awaitility.Awaitility.await().atMost(TTL.plusSeconds(2)).untilAsserted(() ->
                        assertThat(query(other, room).path("members")).extracting(m -> m.path("name").asText()).containsExactly("Ann"));
            }
        } finally {
            doomed.close();
        }
    }

    @Test
    void shouldShowAClientThatMovesToAnotherEdgeAsOneLeaveAndOneJoin() throws InterruptedException {
        String room = room();
        try (WsClient observer = enter(first, room, "Obs")) {
            WsClient moving = enter(first, room, "Mia");
            JsonNode joined;
            do {
                joined = observer.nextOp("join");
            } while (!joined.path("member").path("name").asText().equals("Mia"));
            String before = joined.path("member").path("client").asText();
            moving.close(); // the connection drops; the client reconnects to the other edge
            try (WsClient moved = enter(second, room, "Mia")) {
                JsonNode leave = observer.nextOp("leave");
                JsonNode join = observer.nextOp("join");
                assertThat(leave.path("member").path("client").asText()).isEqualTo(before);
                assertThat(join.path("member").path("name").asText()).isEqualTo("Mia");
                assertThat(join.path("member").path("client").asText()).isNotEqualTo(before);
                assertThat(query(observer, room).path("count").asInt()).isEqualTo(2);
                assertThat(observer.poll(Duration.ofMillis(500))).as("no further leave or join").isNull();
            }
        }
    }

    @Test
    void shouldRefuseBadNamesAndAPresenceFlood() {
        String room = room();
        try (WsClient c = WsClient.connect(first.wsUrl())) {
            c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"presence\":true,\"name\":\"" + "x".repeat(65) + "\"}");
            JsonNode tooLong = c.nextOp("error");
            assertThat(tooLong.path("code").asText()).isEqualTo("bad_request");
            assertThat(tooLong.path("message").asText()).contains("longer than 64");
            c.send("{\"op\":\"subscribe\",\"id\":2,\"room\":\"" + room + "\",\"presence\":true,\"name\":\"Ann\\u202Eadmin\"}");
            assertThat(c.nextOp("error").path("code").asText()).isEqualTo("bad_request");
            c.send("{\"op\":\"subscribe\",\"id\":3,\"room\":\"" + room + "\",\"presence\":\"yes\"}");
            assertThat(c.nextOp("error").path("code").asText()).isEqualTo("bad_request");

            StringBuilder flood = new StringBuilder("[");
            for (int i = 0; i < 10; i++) {
                flood.append(i == 0 ? "" : ",").append("{\"op\":\"subscribe\",\"id\":").append(100 + i).append(",\"room\":\"")
                        .append(room).append("-").append(i).append("\",\"presence\":true,\"name\":\"F\"}");
            }
            c.send(flood.append("]").toString());
            List<JsonNode> answers = new ArrayList<>();
            while (answers.size() < 10) {
                JsonNode f = c.next();
                if (f.path("op").asText().equals("subscribed") || f.path("op").asText().equals("error")) {
                    answers.add(f);
                }
            }
            assertThat(answers).filteredOn(f -> f.path("code").asText().equals("rate_limited")).hasSize(5);
        }
    }

    @Test
    void shouldAnswerAQueryForARoomNoOneOnThisEdgeIsIn() {
        String room = room();
        try (WsClient ann = enter(second, room, "Ann"); WsClient observer = WsClient.connect(first.wsUrl())) {
            awaitMembers(ann, Set.of("Ann"));
            assertThat(query(observer, room).path("members")).extracting(m -> m.path("name").asText()).containsExactly("Ann");
            try (WsClient empty = WsClient.connect(first.wsUrl())) {
                JsonNode none = query(empty, room + "-empty");
                assertThat(none.path("members")).isEmpty();
                assertThat(none.path("count").asInt()).isZero();
            }
        }
    }
}
