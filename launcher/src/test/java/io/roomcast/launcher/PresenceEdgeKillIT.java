package io.roomcast.launcher;

import io.roomcast.client.ClientOptions;
import io.roomcast.client.From;
import io.roomcast.client.Member;
import io.roomcast.client.RoomEvent;
import io.roomcast.client.RoomcastClient;
import io.roomcast.client.SubscribeOptions;
import io.roomcast.client.SubscriptionListener;
import io.roomcast.edge.EdgeConfig;
import io.roomcast.edge.EdgeServer;
import io.roomcast.testkit.ChildJvm;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Presence across a real kill -9: an edge in its own process holds a member of a room; another
 * edge holds a second member. The first process is killed (SIGKILL: no tombstone, no goodbye) and
 * the member it held leaves the other edge's list within the lease TTL plus the documented second.
 */
@EnabledOnOs(OS.LINUX)
class PresenceEdgeKillIT {
    private static final Duration TTL = Duration.ofSeconds(6);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private ChildJvm child;

    @AfterEach
    void stopChild() throws Exception {
        if (child != null) {
            child.close();
        }
    }

    @Test
    void shouldLetTheMemberOfAKilledEdgeLeaveTheOtherEdgesListWithinTheTtl() throws Exception {
        String bootstrap = TestKafka.bootstrapServers();
        String room = "chat:" + TestNames.unique("kill");
        int port = freePort();
        child = ChildJvm.start("roomcast-edge", List.of("-Xmx256m"), Roomcast.class.getName(), List.of("edge",
                "--kafka", bootstrap, "--host", "127.0.0.1", "--port", Integer.toString(port), "--presence-ttl", TTL.toString(),
                "--status-interval", "PT0S"));
        await().atMost(WAIT).until(() -> ready(port));

        try (EdgeServer other = EdgeServer.start(EdgeConfig.builder(bootstrap).host("127.0.0.1").port(0)
                .presence(io.roomcast.edge.presence.PresenceConfig.ofDefaults().withTtl(TTL)).build());
             RoomcastClient bob = RoomcastClient.connect(URI.create(other.wsUrl()), ClientOptions.ofDefaults());
             RoomcastClient ann = RoomcastClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws"), ClientOptions.ofDefaults())) {
            Seen bobSees = new Seen();
            bob.subscribe(room, SubscribeOptions.from(From.latest()).withPresence("Bob"), bobSees);
            ann.subscribe(room, SubscribeOptions.from(From.latest()).withPresence("Ann"), new Seen());
            await().atMost(WAIT).until(() -> bobSees.joined.contains("Ann"));

            long killedAt = System.nanoTime();
            assertThat(child.kill()).isTrue();
            await().atMost(WAIT).until(() -> bobSees.left.contains("Ann"));
            Duration gone = Duration.ofNanos(System.nanoTime() - killedAt);

            // The worst case of docs/protocol.md: a lease renewed just before the kill lives one TTL; the
            // other edge's expiry sweep and the topic read add about a second (three allowed here, for a loaded CI machine).
            assertThat(gone).isLessThanOrEqualTo(TTL.plusSeconds(3));
            assertThat(bobSees.left).containsExactly("Ann");
            assertThat(bob.presence(room).get(10, TimeUnit.SECONDS).members()).extracting(Member::name).containsExactly("Bob");
        }
    }

    private static final class Seen implements SubscriptionListener {
        final List<String> joined = new CopyOnWriteArrayList<>();
        final List<String> left = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(RoomEvent event) {
        }

        @Override
        public void onJoin(Member member, int count) {
            joined.add(member.name());
        }

        @Override
        public void onLeave(Member member, int count) {
            left.add(member.name());
        }
    }

    private static boolean ready(int port) {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
