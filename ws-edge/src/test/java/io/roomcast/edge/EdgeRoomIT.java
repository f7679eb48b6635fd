package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Subscribing, receiving and publishing through one edge on a real Kafka broker. */
class EdgeRoomIT {
    @RegisterExtension
    static final SharedEdge SHARED = SharedEdge.withDefaults();

    private static RoomName room() {
        return RoomName.of("chat:" + TestNames.unique("room"));
    }

    private static WsClient subscribed(RoomName room) {
        WsClient c = WsClient.connect(SHARED.edge().wsUrl());
        c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\"}");
        JsonNode subscribed = c.nextOp("subscribed");
        assertThat(subscribed.path("room").asText()).isEqualTo(room.value());
        assertThat(subscribed.has("recovered")).isFalse();
        c.nextOp("live");
        return c;
    }

    @Test
    void shouldDeliverARecordWrittenByAPlainKafkaProducer() {
        RoomName room = room();
        try (WsClient c = subscribed(room)) {
            long offset = SHARED.kafka().write(room, "note", "{\"text\":\"hello\"}".getBytes(StandardCharsets.UTF_8), 1764000000123L);

            JsonNode event = c.nextOp("event");

            assertThat(event.path("room").asText()).isEqualTo(room.value());
            assertThat(event.path("offset").asLong()).isEqualTo(offset);
            assertThat(event.path("type").asText()).isEqualTo("note");
            assertThat(event.path("ts").asLong()).isEqualTo(1764000000123L);
            assertThat(event.path("data").path("text").asText()).isEqualTo("hello");
        }
    }

    /**
     * The live thread hands each poll's deliveries to the IO threads in one task per IO thread: every subscriber gets every
     * event in order, and the hand-off counters show connections handed over in batches, not one task per delivery.
     */
    @Test
    void shouldHandEachPollsDeliveriesToTheIoThreadsInOneTaskEach() {
        RoomName room = room();
        int subscribers = 4;
        int events = 50;
        List<WsClient> clients = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < subscribers; i++) {
                clients.add(subscribed(room));
            }
            double handOffs = SHARED.edge().meters().counter("roomcast.live.handoffs").count();
            double handedOff = SHARED.edge().meters().counter("roomcast.live.handoff.connections").count();
            double framesOut = SHARED.edge().meters().counter("roomcast.outbound.frames").count();
            double bytesOut = SHARED.edge().meters().counter("roomcast.outbound.bytes").count();

            List<Long> offsets = SHARED.kafka().messages(room, events);

            for (WsClient c : clients) {
                for (long offset : offsets) {
                    assertThat(c.nextOp("event").path("offset").asLong()).isEqualTo(offset);
                }
            }
            double tasks = SHARED.edge().meters().counter("roomcast.live.handoffs").count() - handOffs;
            double connections = SHARED.edge().meters().counter("roomcast.live.handoff.connections").count() - handedOff;
            assertThat(tasks).isPositive();
            assertThat(connections).isBetween((double) subscribers, (double) subscribers * events);
            assertThat(connections).as("each task carries every connection of its IO thread that the batch made dirty").isGreaterThanOrEqualTo(tasks);
            // The edge counts what it writes: at least one message to every connection, and every event's bytes.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(SHARED.edge().meters().counter("roomcast.outbound.frames").count() - framesOut).isGreaterThanOrEqualTo(subscribers);
                assertThat(SHARED.edge().meters().counter("roomcast.outbound.bytes").count() - bytesOut).isGreaterThanOrEqualTo(subscribers * events * 50.0);
            });
            // The IO threads' own buffers (a cork each, a read buffer from the first read) do not grow with connections.
            double ioBuffers = SHARED.edge().meters().get("roomcast.io.buffer.bytes").gauge().value();
            int ioThreads = Math.max(Runtime.getRuntime().availableProcessors(), 2); // Undertow's default
            assertThat(ioBuffers).isBetween(144.0 * 1024, ioThreads * 144.0 * 1024);
        } finally {
            clients.forEach(WsClient::close);
        }
    }

    @Test
    void shouldAckAPublishWithTheOffsetOtherSubscribersSee() {
        RoomName room = room();
        try (WsClient reader = subscribed(room); WsClient writer = WsClient.connect(SHARED.edge().wsUrl())) {
            writer.send("{\"op\":\"publish\",\"id\":\"p1\",\"room\":\"" + room + "\",\"type\":\"message\",\"data\":{\"text\":\"hi\"},\"eventId\":\"c1-1\"}");

            JsonNode ack = writer.nextOp("ack");
            JsonNode event = reader.nextOp("event");

            assertThat(ack.path("id").asText()).isEqualTo("p1");
            assertThat(ack.path("room").asText()).isEqualTo(room.value());
            assertThat(event.path("offset").asLong()).isEqualTo(ack.path("offset").asLong());
            assertThat(event.path("data").path("text").asText()).isEqualTo("hi");
            assertThat(event.path("eventId").asText()).isEqualTo("c1-1");
            assertThat(event.path("type").asText()).isEqualTo("message");
        }
    }

    @Test
    void shouldStopDeliveringAfterUnsubscribed() throws Exception {
        RoomName room = room();
        RoomName marker = room();
        try (WsClient c = subscribed(room)) {
            c.send("{\"op\":\"subscribe\",\"id\":2,\"room\":\"" + marker + "\"}");
            c.nextOp("live");
            c.send("{\"op\":\"unsubscribe\",\"id\":3,\"room\":\"" + room + "\"}");
            assertThat(c.nextOp("unsubscribed").path("id").asInt()).isEqualTo(3);

            SHARED.kafka().messages(room, 3);
            long markerOffset = SHARED.kafka().json(marker, "{}");

            JsonNode next = c.next();
            assertThat(next.path("room").asText()).isEqualTo(marker.value());
            assertThat(next.path("offset").asLong()).isEqualTo(markerOffset);
        }
    }

    @Test
    void shouldServeSeveralRoomsOnOneConnectionAndAnswerBatchesInOrder() {
        RoomName a = room();
        RoomName b = room();
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            c.send("[{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + a + "\"},{\"op\":\"subscribe\",\"id\":2,\"room\":\"" + b
                    + "\"},{\"op\":\"ping\",\"id\":3}]");
            java.util.Set<String> live = new java.util.HashSet<>();
            List<JsonNode> frames = c.until(n -> n.path("op").asText().equals("live") && live.add(n.path("room").asText()) && live.size() == 2);
            assertThat(frames).anyMatch(n -> n.path("op").asText().equals("pong") && n.path("id").asInt() == 3);
            long offsetA = SHARED.kafka().json(a, "{\"to\":\"a\"}");
            long offsetB = SHARED.kafka().json(b, "{\"to\":\"b\"}");

            List<JsonNode> events = c.events(2);

            assertThat(events).extracting(n -> n.path("room").asText() + "@" + n.path("offset").asLong())
                    .containsExactlyInAnyOrder(a + "@" + offsetA, b + "@" + offsetB);
        }
    }

    @Test
    void shouldPassStrangersRecordsThroughSafely() {
        RoomName room = room();
        try (WsClient c = subscribed(room)) {
            String topic = SHARED.namespaces().of(room).topic();
            SHARED.kafka().write(topic, null, null, "{\"no\":\"key\"}".getBytes(StandardCharsets.UTF_8), null);
            SHARED.kafka().write(topic, new byte[]{(byte) 0xff, (byte) 0xfe}, null, "{}".getBytes(StandardCharsets.UTF_8), null);
            SHARED.kafka().write(room, null, "plain text, not JSON".getBytes(StandardCharsets.UTF_8), null);
            SHARED.kafka().write(room, "bad type with spaces", new byte[]{0, 1, 2, (byte) 0xff}, null);
            SHARED.kafka().write(room, null, null, null);
            SHARED.kafka().write(room, null, "{\"truncated\":".getBytes(StandardCharsets.UTF_8), null);
            SHARED.kafka().write(room, null, "{}".getBytes(StandardCharsets.UTF_16BE), null); // JSON, but not in UTF-8

            List<JsonNode> events = c.events(5);

            assertThat(events.get(0).path("data").asText()).isEqualTo("plain text, not JSON");
            assertThat(events.get(1).path("encoding").asText()).isEqualTo("base64");
            assertThat(events.get(1).path("data").asText()).isEqualTo("AAEC/w==");
            assertThat(events.get(1).path("type").asText()).isEqualTo("message");
            assertThat(events.get(2).path("data").isNull()).isTrue();
            assertThat(events.get(3).path("data").asText()).isEqualTo("{\"truncated\":");
            assertThat(events.get(4).path("data").asText()).isEqualTo("\u0000{\u0000}");
        }
    }

    @Test
    void shouldAnswerPingWithPong() {
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            c.send("{\"op\":\"ping\",\"id\":4}");
            assertThat(c.nextOp("pong").path("id").asInt()).isEqualTo(4);
        }
    }

    /** The worker has several threads; one connection's writes still reach the room in the order it sent them. */
    @Test
    void shouldStoreAConnectionsPipelinedPublishesInTheOrderItSentThem() {
        String room = "chat:order-" + TestNames.unique();
        int n = 60;
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            for (int i = 0; i < n; i++) {
                c.send("{\"op\":\"publish\",\"id\":" + i + ",\"room\":\"" + room + "\",\"data\":" + i + "}");
            }
            long[] offsets = new long[n];
            for (int acked = 0; acked < n; acked++) {
                JsonNode ack = c.nextOp("ack");
                offsets[ack.path("id").asInt()] = ack.path("offset").asLong();
            }
            for (int i = 1; i < n; i++) {
                assertThat(offsets[i]).as("publish %d after %d", i, i - 1).isGreaterThan(offsets[i - 1]);
            }
        }
    }
}
