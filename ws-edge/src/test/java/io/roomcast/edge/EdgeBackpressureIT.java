package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reader that stops reading while 20,000 events are published: its buffered memory on the edge
 * stays within the limit, fast readers of the same room get everything meanwhile, and when it
 * reads again it gets all 20,000 in order (lossless) — or a drop notice that accounts for every
 * event it did not get (drop-oldest, latest-only).
 */
class EdgeBackpressureIT {
    private static final String ADMIN = "admin-token-for-tests";
    private static final int EVENTS = 20_000;
    @RegisterExtension
    static final SharedEdge SHARED = SharedEdge.with(b -> b.outboundLimit(100).writeTimeout(Duration.ofMinutes(5)).adminToken(ADMIN));

    private static WsClient subscribe(RoomName room, String policy) {
        WsClient c = WsClient.connect(SHARED.edge().wsUrl());
        c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\"" + (policy == null ? "" : ",\"policy\":\"" + policy + "\"") + "}");
        c.nextOp("subscribed");
        c.nextOp("live");
        return c;
    }

    private static int maxQueuedFrames() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(SHARED.edge().url() + "/admin/connections"))
                .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        int max = 0;
        for (JsonNode conn : new ObjectMapper().readTree(r.body()).path("connections")) {
            max = Math.max(max, conn.path("queuedFrames").asInt());
        }
        return max;
    }

    @Test
    void shouldKeepAStalledReaderLosslessAtBoundedMemory() throws Exception {
        RoomName room = RoomName.of("chat:" + TestNames.unique("stall"));
        try (WsClient slow = subscribe(room, null); WsClient fast = subscribe(room, null)) {
            slow.pause();
            List<Long> offsets = new ArrayList<>(EVENTS);
            int maxQueued = 0;
            for (int batch = 0; batch < 10; batch++) {
                offsets.addAll(SHARED.kafka().bulk(room, EVENTS / 10, 300));
                maxQueued = Math.max(maxQueued, maxQueuedFrames());
            }
            assertThat(fast.events(EVENTS)).extracting(e -> e.path("offset").asLong()).containsExactlyElementsOf(offsets);
            maxQueued = Math.max(maxQueued, maxQueuedFrames());
            assertThat(maxQueued).isLessThanOrEqualTo(100 + 5);

            slow.resume();

            assertThat(slow.events(EVENTS)).extracting(e -> e.path("offset").asLong()).containsExactlyElementsOf(offsets);
            assertThat(SHARED.edge().meters().counter("roomcast.subscriptions.lagging").count()).isPositive();
        }
    }

    @Test
    void shouldTellADropOldestReaderWhatItMissed() {
        assertDropsAccountedFor("drop-oldest", EVENTS);
    }

    @Test
    void shouldConflateALatestOnlyReaderToTheNewestEvent() {
        List<Long> offsets = assertDropsAccountedFor("latest-only", EVENTS);
        assertThat(offsets).isNotEmpty();
    }

    /** Every published event is either received or inside a reported drop; the newest is received. */
    private static List<Long> assertDropsAccountedFor(String policy, int count) {
        RoomName room = RoomName.of("chat:" + TestNames.unique(policy));
        try (WsClient slow = subscribe(room, policy); WsClient fast = subscribe(room, null)) {
            slow.pause();
            List<Long> offsets = SHARED.kafka().bulk(room, count, 500);
            fast.events(count);
            slow.resume();

            long last = offsets.get(offsets.size() - 1);
            List<Long> received = new ArrayList<>();
            long dropped = 0;
            long previous = -1;
            while (received.isEmpty() || received.get(received.size() - 1) != last) {
                JsonNode n = slow.next();
                switch (n.path("op").asText()) {
                    case "event" -> {
                        assertThat(n.path("offset").asLong()).isGreaterThan(previous);
                        previous = n.path("offset").asLong();
                        received.add(previous);
                    }
                    case "dropped" -> {
                        assertThat(n.path("room").asText()).isEqualTo(room.value());
                        assertThat(n.path("first").asLong()).isGreaterThan(previous);
                        assertThat(n.path("last").asLong()).isGreaterThanOrEqualTo(n.path("first").asLong());
                        dropped += n.path("count").asLong();
                    }
                    default -> throw new AssertionError("unexpected frame " + n);
                }
            }
            assertThat(dropped).isPositive();
            assertThat(received.size() + dropped).isEqualTo(count);
            assertThat(SHARED.edge().meters().counter("roomcast.events.dropped").count()).isGreaterThanOrEqualTo(dropped);
            return received;
        }
    }
}
