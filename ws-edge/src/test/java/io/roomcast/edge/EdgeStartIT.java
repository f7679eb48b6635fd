package io.roomcast.edge;

import io.roomcast.edge.http.HttpSettings;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** An edge that cannot listen says where and why, and leaves nothing of itself running. */
class EdgeStartIT {

    private static long roomcastThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith("roomcast-")).count();
    }

    @Test
    void shouldExplainAPortInUseAndStopEverythingItStarted() throws Exception {
        long before = roomcastThreads();
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> EdgeFixture.start(EdgeFixture.isolatedNamespaces(), b -> b.port(taken.getLocalPort())))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> roomcastThreads() <= before);
        assertThat(roomcastThreads()).as("the failed edge's live tail, workers and side tails stopped").isLessThanOrEqualTo(before);
    }

    /** The public listener opened, the management one could not: the start failed once hung for good in its clean-up. */
    @Test
    void shouldExplainAManagementPortInUseWithoutHanging() throws Exception {
        long before = roomcastThreads();
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            java.util.concurrent.CompletableFuture<Throwable> failure = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    EdgeFixture.start(EdgeFixture.isolatedNamespaces(),
                            b -> b.http(HttpSettings.ofDefaults().withManagement("127.0.0.1", taken.getLocalPort()))).close();
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            assertThat(failure.get(60, java.util.concurrent.TimeUnit.SECONDS)).as("start returns, with the reason")
                    .isInstanceOf(UncheckedIOException.class).hasMessageContaining("management 127.0.0.1:" + taken.getLocalPort());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> roomcastThreads() <= before);
    }
}
