package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.edge.publish.PublishSettings;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A publish sent again with the same eventId — the ack was lost with the connection, the client
 * resends on whichever edge it reaches — is acknowledged with the first offset and written once.
 * These clients are anonymous, so they name themselves across connections with a publisherKey.
 */
class EdgePublishDedupeIT {
    @RegisterExtension
    // A retry that finds nothing waits for the settle time before it writes: short here, as no write is in flight.
    static final SharedEdge SHARED = SharedEdge.twoEdges(b -> b.publish(PublishSettings.defaults().withRetrySettle(Duration.ofMillis(500))));

    private static RoomName room() {
        return RoomName.of("chat:" + TestNames.unique("dedupe"));
    }

    private static final String KEY = ",\"publisherKey\":\"client-key-0123456789\"";

    private static JsonNode publish(WsClient c, int id, RoomName room, String eventId, String extra) {
        c.send("{\"op\":\"publish\",\"id\":" + id + ",\"room\":\"" + room + "\",\"data\":{\"n\":" + id + "}"
                + (eventId == null ? "" : ",\"eventId\":\"" + eventId + "\"" + KEY) + extra + "}");
        while (true) {
            JsonNode n = c.next();
            if (n.path("id").asInt(-1) == id) {
                return n;
            }
        }
    }

    @Test
    void shouldWriteAnEventOnceHoweverOftenAndWhereverItIsSentAgain() {
        RoomName room = room();
        try (WsClient a = WsClient.connect(SHARED.edge().wsUrl()); WsClient b = WsClient.connect(SHARED.otherEdge().wsUrl())) {
            JsonNode first = publish(a, 1, room, "msg-1", "");
            assertThat(first.path("op").asText()).isEqualTo("ack");
            assertThat(first.has("duplicate")).isFalse();
            long offset = first.path("offset").asLong();

            JsonNode again = publish(a, 2, room, "msg-1", "");
            assertThat(again.path("op").asText()).isEqualTo("ack");
            assertThat(again.path("offset").asLong()).isEqualTo(offset);
            assertThat(again.path("duplicate").asBoolean()).isTrue();

            // another edge never saw it: a retry is looked up in Kafka
            JsonNode elsewhere = publish(b, 3, room, "msg-1", ",\"retry\":true");
            assertThat(elsewhere.path("offset").asLong()).isEqualTo(offset);
            assertThat(elsewhere.path("duplicate").asBoolean()).isTrue();

            JsonNode fresh = publish(b, 4, room, "msg-2", ",\"retry\":true");
            assertThat(fresh.has("duplicate")).isFalse();
            JsonNode plain = publish(b, 5, room, null, "");
            JsonNode plainAgain = publish(b, 6, room, null, "");
            assertThat(plainAgain.path("offset").asLong()).as("no eventId: every publish is written")
                    .isGreaterThan(plain.path("offset").asLong());
        }
        try (WsClient reader = WsClient.connect(SHARED.edge().wsUrl())) {
            reader.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"from\":\"earliest\"}");
            List<String> ids = new ArrayList<>();
            for (JsonNode n : reader.until(n -> n.path("op").asText().equals("live"))) {
                if (n.path("op").asText().equals("event")) {
                    ids.add(n.path("eventId").asText("-"));
                }
            }
            assertThat(ids).containsExactly("msg-1", "msg-2", "-", "-");
        }
    }

    @Test
    void shouldRefuseARetryFlagThatIsNotABooleanOrHasNoEventId() {
        RoomName room = room();
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            JsonNode notBoolean = publish(c, 1, room, "x-1", ",\"retry\":\"yes\"");
            assertThat(notBoolean.path("op").asText()).isEqualTo("error");
            assertThat(notBoolean.path("code").asText()).isEqualTo("bad_request");
            JsonNode noId = publish(c, 2, room, null, ",\"retry\":true");
            assertThat(noId.path("code").asText()).isEqualTo("bad_request");
            assertThat(publish(c, 3, room, "x-1", ",\"retry\":false").path("op").asText()).isEqualTo("ack");
        }
    }
}
