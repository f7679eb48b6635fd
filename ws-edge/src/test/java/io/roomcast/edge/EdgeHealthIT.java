package io.roomcast.edge;

import io.roomcast.edge.http.HttpSettings;
import io.roomcast.live.Handover;
import io.roomcast.room.RoomName;
import io.roomcast.topic.RoomLocation;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code /healthz}, {@code /readyz} and where {@code /metrics} and {@code /admin} may be reached. */
class EdgeHealthIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ADMIN_TOKEN = "admin-token-0123456789";

    private static HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url));
        if (headers.length > 0) {
            r.headers(headers);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static EdgeServer edge(HttpSettings http) {
        return EdgeFixture.start(EdgeFixture.isolatedNamespaces(), b -> b.http(http).adminToken(ADMIN_TOKEN));
    }

    /** Registers {@code listener} on the edge's live tail for a room, then writes one event into it. */
    private static void feedLiveTail(EdgeServer edge, io.roomcast.live.LiveListener listener) throws Exception {
        RoomName room = RoomName.of("chat:health");
        RoomLocation where = edge.backbone().topics().locate(room);
        Handover h = edge.backbone().live().register(room, where.partition(), 10, listener, offset -> { }).get(30, TimeUnit.SECONDS);
        assertThat(h).isNotNull();
        try (KafkaRoom kafka = new KafkaRoom(edge.config().namespaces())) {
            kafka.json(room, "{\"n\":1}");
        }
    }

    @Test
    void shouldTurnUnhealthyWhenTheLiveTailThreadDies() throws Exception {
        try (EdgeServer edge = edge(HttpSettings.ofDefaults())) {
            assertThat(get(edge.url() + "/healthz").statusCode()).isEqualTo(200);
            // What an OutOfMemoryError on the live thread does: the thread ends, the process serves on.
            // (A plain Error stands in for it: the test JVM's harness exits on a real OutOfMemoryError.)
            feedLiveTail(edge, event -> {
                throw new Error("simulated fatal error on the live thread");
            });
            await().atMost(WsClient.WAIT).untilAsserted(() -> {
                HttpResponse<String> health = get(edge.url() + "/healthz");
                assertThat(health.statusCode()).isEqualTo(503);
                assertThat(health.body()).contains("live tail stopped");
            });
        }
    }

    @Test
    void shouldTurnUnhealthyWhileTheLiveTailThreadIsStuckAndRecoverAfter() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (EdgeServer edge = edge(HttpSettings.ofDefaults().withLivenessTimeout(Duration.ofSeconds(2)))) {
            feedLiveTail(edge, event -> {
                try {
                    release.await(); // a listener breaking its contract: it blocks the live thread
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            await().atMost(WsClient.WAIT).untilAsserted(() -> {
                HttpResponse<String> health = get(edge.url() + "/healthz");
                assertThat(health.statusCode()).isEqualTo(503);
                assertThat(health.body()).contains("live tail loop silent");
            });
            release.countDown();
            await().atMost(WsClient.WAIT).until(() -> get(edge.url() + "/healthz").statusCode() == 200);
        } finally {
            release.countDown();
        }
    }

    @Test
    void shouldAnswerReadinessFromACachedKafkaProbe() throws Exception {
        try (EdgeServer edge = edge(HttpSettings.ofDefaults().withReadinessCacheTtl(Duration.ofSeconds(5)))) {
            long start = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                assertThat(get(edge.url() + "/readyz").statusCode()).isEqualTo(200);
            }
            long periods = 1 + Duration.ofNanos(System.nanoTime() - start).toSeconds() / 5;
            assertThat(edge.meters().get("roomcast.readiness.probes").counter().count()).isBetween(1.0, (double) periods);
        }
    }

    @Test
    void shouldServeManagementEndpointsOnlyLocallyOrWithTheTokenWithoutAManagementPort() throws Exception {
        try (EdgeServer edge = edge(HttpSettings.ofDefaults())) {
            assertThat(get(edge.url() + "/metrics").statusCode()).isEqualTo(200);
            // What a request through a proxy on this host (the shipped nginx sets X-Forwarded-For) looks like:
            assertThat(get(edge.url() + "/metrics", "X-Forwarded-For", "203.0.113.9").statusCode()).isEqualTo(403);
            assertThat(get(edge.url() + "/metrics", "Forwarded", "for=203.0.113.9").statusCode()).isEqualTo(403);
            assertThat(get(edge.url() + "/admin/connections", "X-Forwarded-For", "203.0.113.9").statusCode()).isEqualTo(403);
            assertThat(get(edge.url() + "/metrics", "X-Forwarded-For", "203.0.113.9", "Authorization", "Bearer " + ADMIN_TOKEN)
                    .statusCode()).isEqualTo(200);
            assertThat(get(edge.url() + "/metrics", "X-Forwarded-For", "203.0.113.9", "Authorization", "Bearer wrong")
                    .statusCode()).isEqualTo(403);
            // Health stays public: load balancers and orchestrators probe it through the network.
            assertThat(get(edge.url() + "/readyz", "X-Forwarded-For", "203.0.113.9").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void shouldMoveManagementEndpointsToTheManagementListener() throws Exception {
        try (EdgeServer edge = edge(HttpSettings.ofDefaults().withManagement("127.0.0.1", 0))) {
            assertThat(edge.managementUrl()).isNotEqualTo(edge.url());
            assertThat(get(edge.url() + "/metrics").statusCode()).isEqualTo(404);
            assertThat(get(edge.url() + "/admin/connections", "Authorization", "Bearer " + ADMIN_TOKEN).statusCode()).isEqualTo(404);
            assertThat(get(edge.managementUrl() + "/metrics").body()).contains("roomcast_connections");
            assertThat(get(edge.managementUrl() + "/admin/connections", "Authorization", "Bearer " + ADMIN_TOKEN).statusCode())
                    .isEqualTo(200);
            assertThat(get(edge.managementUrl() + "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(edge.url() + "/healthz").statusCode()).isEqualTo(200);
        }
    }
}
