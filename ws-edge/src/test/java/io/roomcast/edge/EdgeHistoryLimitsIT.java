package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Gauge;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Review items 8, 9 and 3: history caches are bounded in bytes per edge (idle rooms evicted
 * first); bulk {@code last N} scans of a large partition do not hold up another client's resume;
 * subscriptions that end leave no listener behind on the live tail.
 */
class EdgeHistoryLimitsIT {
    private static final long CACHE_BYTES = 4L * 1024 * 1024;
    @RegisterExtension
    static final SharedEdge SHARED = SharedEdge.with(b -> b.historyCacheBytes(CACHE_BYTES).historyReaders(1));

    private static double gauge(String name) {
        Gauge g = SHARED.edge().meters().find(name).gauge();
        return g == null ? Double.NaN : g.value();
    }

    /** At 60 KB per event, 20 rooms' caches of 1,000 events each would hold 1.2 GB; the edge holds at most its byte bound. */
    @Test
    void shouldBoundTheHistoryCachesInBytes() {
        List<RoomName> rooms = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rooms.add(RoomName.of("logs:" + TestNames.unique("big")));
        }
        for (RoomName room : rooms) {
            try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
                c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\"}");
                c.nextOp("live");
            }
        }
        double peak = 0;
        for (int round = 0; round < 3; round++) {
            for (RoomName room : rooms) {
                SHARED.kafka().bulk(room, 5, 60_000);
            }
            peak = Math.max(peak, gauge("roomcast.history.bytes"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> gauge("roomcast.history.events") > 0);
        assertThat(peak).isLessThanOrEqualTo(CACHE_BYTES + 2_500_000.0); // one poll's events may overshoot before the trim
        await().atMost(Duration.ofSeconds(10)).until(() -> gauge("roomcast.history.bytes") <= CACHE_BYTES);

        // What the cache evicted is read from Kafka: a replay of an evicted room is still complete.
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + rooms.get(0) + "\",\"from\":\"earliest\"}");
            c.nextOp("subscribed");
            assertThat(c.events(15)).extracting(e -> e.path("data").path("i").asInt())
                    .containsExactly(0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4);
        }
    }

    /**
     * Ten clients scanning {@code last:10000} of a sparse room in a partition of 300,000 records,
     * all on one history reader: a resume in the same partition is answered within 5 s.
     */
    @Test
    void shouldAnswerAResumeWhileOthersScanForTheirLastEvents() {
        RoomName sparse = RoomName.of("chat:" + TestNames.unique("sparse"));
        List<RoomName> same = EdgeFixture.roomsSharingPartitionWith(sparse, 4, 2);
        RoomName busy = same.get(0);
        RoomName resumed = same.get(1);
        long resumeAfter = SHARED.kafka().json(resumed, "{\"n\":0}");
        for (int i = 0; i < 10; i++) {
            SHARED.kafka().bulk(busy, 30_000, 50);
            SHARED.kafka().json(sparse, "{\"n\":" + i + "}");
        }
        long expected = SHARED.kafka().json(resumed, "{\"n\":1}");
        String epoch;
        try (WsClient probe = WsClient.connect(SHARED.edge().wsUrl())) {
            probe.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + resumed + "\"}");
            epoch = probe.nextOp("subscribed").path("epoch").asText();
        }
        List<WsClient> scanners = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                WsClient s = WsClient.connect(SHARED.edge().wsUrl());
                scanners.add(s);
                s.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + sparse + "\",\"from\":{\"last\":10000}}");
            }
            try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
                long started = System.nanoTime();
                c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + resumed + "\",\"from\":{\"after\":" + resumeAfter
                        + ",\"epoch\":\"" + epoch + "\"}}");
                JsonNode subscribed = c.nextOp("subscribed");
                assertThat(subscribed.path("recovered").asBoolean()).isTrue();
                assertThat(c.events(1).get(0).path("offset").asLong()).isEqualTo(expected);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            }
            for (WsClient s : scanners) {
                s.nextOp("subscribed");
                assertThat(s.events(10)).extracting(e -> e.path("data").path("n").asInt()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            }
        } finally {
            scanners.forEach(WsClient::close);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> gauge("roomcast.live.listeners") == 0);
    }
}
