package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Findings of the outside review (issue 12) on the subscription path, each reproduced against a
 * real broker and real sockets: lost {@code from:time} events after a lag, out-of-range positions,
 * history reads that time out, unbounded control frames, and metrics that double count.
 */
class EdgeHardeningIT {
    @RegisterExtension
    static final SharedEdge SHARED = SharedEdge.with(b -> b.outboundLimit(20).writeTimeout(Duration.ofSeconds(3))
            .historyReadTimeout(Duration.ofMillis(1)));

    private static RoomName room(String prefix) {
        return RoomName.of("chat:" + TestNames.unique(prefix));
    }

    private static double lagging() {
        Counter c = SHARED.edge().meters().find("roomcast.subscriptions.lagging").counter();
        return c == null ? 0 : c.count();
    }

    /** Review item 1: a {@code from:{time}} subscriber that lagged lost the events of its catch-up without notice. */
    @Test
    void shouldDeliverEveryEventToATimeSubscriberThatFellBehind() {
        assertLosslessAfterLag(System.currentTimeMillis() + Duration.ofHours(1).toMillis());
    }

    @Test
    void shouldDeliverEveryEventToATimeSubscriberWithNoNewerHistory() {
        assertLosslessAfterLag(System.currentTimeMillis() - 1_000);
    }

    private static void assertLosslessAfterLag(long time) {
        RoomName room = room("time");
        double laggingBefore = lagging();
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"from\":{\"time\":" + time + "}}");
            c.nextOp("subscribed");
            c.nextOp("live");
            c.pause();
            List<Long> offsets = SHARED.kafka().bulk(room, 3_000, 1_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> lagging() > laggingBefore);
            c.resume();
            assertThat(c.events(offsets.size())).extracting(e -> e.path("offset").asLong()).containsExactlyElementsOf(offsets);
        }
    }

    /** Review item 5: {@code after: Long.MAX_VALUE} overflowed {@code n+1}; positions out of range are refused. */
    @Test
    void shouldRefuseAPositionOutOfRange() {
        RoomName room = room("range");
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"from\":{\"after\":9223372036854775807,\"epoch\":\"x.1\"}}");
            JsonNode error = c.nextOp("error");
            assertThat(error.path("code").asText()).isEqualTo("bad_request");
            assertThat(error.path("id").asInt()).isEqualTo(1);
            c.send("{\"op\":\"subscribe\",\"id\":2,\"room\":\"" + room + "\",\"from\":{\"time\":9223372036854775807}}");
            assertThat(c.nextOp("error").path("code").asText()).isEqualTo("bad_request");
        }
    }

    /**
     * Review item 4: a history read that ran out of time threw away what it had read, so a sparse
     * room behind many records of other rooms could never be replayed. This edge gives each read
     * 1 ms: the replay must still make progress to the end.
     */
    @Test
    void shouldReplayASparseRoomWhenEveryReadRunsOutOfTime() {
        RoomName sparse = room("sparse");
        RoomName busy = EdgeFixture.roomsSharingPartitionWith(sparse, 4, 1).get(0);
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            SHARED.kafka().bulk(busy, 4_000, 200);
            expected.add(SHARED.kafka().json(sparse, "{\"n\":" + i + "}"));
        }
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + sparse + "\",\"from\":\"earliest\"}");
            c.nextOp("subscribed");
            assertThat(c.events(expected.size())).extracting(e -> e.path("offset").asLong()).containsExactlyElementsOf(expected);
        }
    }

    /** Review item 10: request ids are bounded in the parser (a 1,000-digit id is refused). */
    @Test
    void shouldRefuseHugeRequestIds() {
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            c.send("{\"op\":\"ping\",\"id\":" + "9".repeat(1_000) + "}");
            JsonNode error = c.nextOp("error");
            assertThat(error.path("code").asText()).isEqualTo("bad_request");
            assertThat(error.has("id")).isFalse();
        }
    }

    /** Review item 15: one nesting limit (64) end to end; a deeper client frame is a bad request. */
    @Test
    void shouldRefuseFramesNestedDeeperThan64() {
        String deep = "[".repeat(100) + "]".repeat(100);
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            c.send("{\"op\":\"publish\",\"id\":1,\"room\":\"chat:x\",\"data\":" + deep + "}");
            assertThat(c.nextOp("error").path("code").asText()).isEqualTo("bad_request");
        }
    }

    /** Review item 15: a stranger's record nested deeper than 64 reaches subscribers as a JSON string, not as JSON. */
    @Test
    void shouldDeliverAStrangersDeepRecordAsText() {
        RoomName room = room("deep");
        String deep = "[".repeat(1_000) + "]".repeat(1_000);
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\"}");
            c.nextOp("live");
            SHARED.kafka().write(room, null, deep.getBytes(StandardCharsets.UTF_8), null);
            JsonNode event = c.events(1).get(0);
            assertThat(event.path("data").isTextual()).isTrue();
            assertThat(event.path("data").asText()).isEqualTo(deep);
        }
    }

    /**
     * Review item 19: after a stalled connection is closed, the buffered-bytes gauge is back at
     * zero (it read minus twice the queued bytes) and the stalled-close counter counted it once.
     * While the connection stalls, the gauge (summed from the connections when read) shows its bytes.
     */
    @Test
    void shouldCountAStalledCloseOnceAndReleaseItsBytesOnce() {
        double stalledBefore = closedFor("stalled");
        RoomName room = room("stalled");
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\"}");
            c.nextOp("live");
            c.pause();
            SHARED.kafka().bulk(room, 12_000, 1_000);
            // The gauge is read first: bytes seen and the connection still open afterwards were seen while it stalled.
            AtomicBoolean seenWhileOpen = new AtomicBoolean();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                boolean queued = gauge("roomcast.outbound.buffered.bytes") > 0;
                boolean open = closedFor("stalled") == stalledBefore;
                seenWhileOpen.compareAndSet(false, queued && open);
                return seenWhileOpen.get() || !open;
            });
            assertThat(seenWhileOpen).as("queued bytes seen in the gauge before the stalled connection was closed").isTrue();
            await().atMost(Duration.ofSeconds(60)).until(() -> closedFor("stalled") > stalledBefore);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> gauge("roomcast.outbound.buffered.bytes") == 0);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> gauge("roomcast.outbound.buffered.bytes") == 0 && closedFor("stalled") - stalledBefore == 1);
    }

    /** Review item 10: a client that floods requests and reads nothing is closed once its replies exceed the outbound bound. */
    @Test
    void shouldCloseAClientWhoseRepliesExceedTheOutboundBound() throws Exception {
        try (RawSocket raw = new RawSocket(SHARED.edge().wsUrl())) {
            String pad = "p".repeat(60);
            byte[] batch = ("[" + String.join(",", java.util.Collections.nCopies(50, "{\"op\":\"ping\",\"id\":\"" + pad + "\"}")) + "]")
                    .getBytes(StandardCharsets.UTF_8);
            try {
                for (int i = 0; i < 180; i++) {
                    raw.frame(0x1, batch);
                }
            } catch (java.io.IOException closedMeanwhile) {
                // the edge may close the connection before the flood ends
            }
            assertThat(raw.awaitCloseCode()).isIn(4000, 4029);
        }
    }

    /** Review item 7: records of an aborted transaction (a stranger's, or a fenced producer's) reach no subscriber, live or replayed. */
    @Test
    void shouldNeverDeliverAbortedTransactionalRecords() {
        RoomName room = room("txn");
        String topic = SHARED.namespaces().of(room).topic();
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, io.roomcast.testkit.TestKafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, TestNames.unique("txn"));
        try (WsClient live = WsClient.connect(SHARED.edge().wsUrl());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            live.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\"}");
            live.nextOp("live");
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, room.keyBytes(), "{\"aborted\":true}".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, room.keyBytes(), "{\"committed\":true}".getBytes(StandardCharsets.UTF_8)));
            producer.commitTransaction();

            assertThat(live.events(1).get(0).path("data").has("committed")).isTrue();
            try (WsClient replay = WsClient.connect(SHARED.edge().wsUrl())) {
                replay.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"from\":\"earliest\"}");
                replay.nextOp("subscribed");
                assertThat(replay.events(1).get(0).path("data").has("committed")).isTrue();
                JsonNode next = replay.next();
                assertThat(next.path("op").asText()).isEqualTo("live");
            }
        }
    }

    private static double closedFor(String reason) {
        Counter c = SHARED.edge().meters().find("roomcast.connections.closed").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    private static double gauge(String name) {
        Gauge g = SHARED.edge().meters().find(name).gauge();
        return g == null ? Double.NaN : g.value();
    }
}
