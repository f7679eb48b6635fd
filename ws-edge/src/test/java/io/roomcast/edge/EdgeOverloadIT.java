package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Review item 2: with a worker queue of one task, lagging subscribers that all catch up at once
 * have continuations refused. Each subscription must then end with a room notice and free the
 * room for a new subscribe; none may be stranded (no frame, room still taken).
 */
class EdgeOverloadIT {
    private static final int CLIENTS = 8;
    @RegisterExtension
    static final SharedEdge SHARED = SharedEdge.with(b -> b.workerThreads(1).workerQueueLimit(1).outboundLimit(10)
            .writeTimeout(Duration.ofMinutes(2)));

    @Test
    void shouldEndRefusedSubscriptionsWithANoticeAndFreeTheirRoom() {
        RoomName room = RoomName.of("chat:" + TestNames.unique("overload"));
        List<WsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                WsClient c = WsClient.connect(SHARED.edge().wsUrl());
                clients.add(c);
                subscribe(c, room);
            }
            clients.forEach(WsClient::pause);
            List<Long> offsets = SHARED.kafka().bulk(room, 3_000, 1_000);
            clients.forEach(WsClient::resume);
            int noticed = 0;
            for (WsClient c : clients) {
                long previous = -1;
                int received = 0;
                while (received < offsets.size()) {
                    JsonNode n = c.next();
                    String op = n.path("op").asText();
                    if ("event".equals(op)) {
                        assertThat(n.path("offset").asLong()).isGreaterThan(previous);
                        previous = n.path("offset").asLong();
                        received++;
                    } else if ("error".equals(op)) {
                        assertThat(n.has("id")).as("a notice about the room, not an answer").isFalse();
                        assertThat(n.path("room").asText()).isEqualTo(room.toString());
                        noticed++;
                        subscribe(c, room); // the room is free again
                        break;
                    } else {
                        assertThat(op).isIn("live", "subscribed");
                    }
                }
            }
            // Whether refusals happened depends on timing; both outcomes are fine, a stranded one is not.
            assertThat(noticed).isBetween(0, CLIENTS);
        } finally {
            clients.forEach(WsClient::close);
        }
    }

    /** Subscribes, retrying while the edge answers that it is overloaded. */
    private static void subscribe(WsClient c, RoomName room) {
        for (int attempt = 1; attempt < 100; attempt++) {
            int id = attempt;
            c.send("{\"op\":\"subscribe\",\"id\":" + id + ",\"room\":\"" + room + "\"}");
            List<JsonNode> frames = c.until(n -> n.path("id").asInt(-1) == id);
            JsonNode answer = frames.get(frames.size() - 1);
            if ("subscribed".equals(answer.path("op").asText())) {
                c.nextOp("live");
                return;
            }
            assertThat(answer.path("code").asText()).isEqualTo("unavailable");
        }
        throw new AssertionError("never subscribed");
    }
}
