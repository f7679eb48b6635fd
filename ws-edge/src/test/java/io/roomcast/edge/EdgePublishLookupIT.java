package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.edge.publish.PublishSettings;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code retry:true} lookups are bounded and stay off the history readers that serve resumes
 * (issue 12, item 8).
 */
class EdgePublishLookupIT {
    @RegisterExtension
    static final SharedEdge SHARED = SharedEdge.with(b -> b.publish(PublishSettings.defaults()
            .withRetryLookupBounds(300, 1024 * 1024).withRetrySettle(Duration.ofMillis(300))));

    private static JsonNode publish(WsClient c, int id, RoomName room, String eventId, boolean retry) {
        c.send("{\"op\":\"publish\",\"id\":" + id + ",\"room\":\"" + room + "\",\"data\":{\"n\":" + id + "}"
                + ",\"eventId\":\"" + eventId + "\"" + (retry ? ",\"retry\":true" : "") + "}");
        while (true) {
            JsonNode n = c.next();
            if (n.path("id").asInt(-1) == id) {
                return n;
            }
        }
    }

    private double historyScanned() {
        return SHARED.edge().meters().get("roomcast.history.kafka.records.scanned").counter().count();
    }

    @Test
    void shouldLookUpRetriesWithoutTheHistoryReaders() {
        RoomName room = RoomName.of("logs:" + TestNames.unique("lookup"));
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            long offset = publish(c, 1, room, "l-1", false).path("offset").asLong();
            double before = historyScanned();
            JsonNode found = publish(c, 2, room, "l-1", true);
            assertThat(found.path("duplicate").asBoolean()).isTrue();
            assertThat(found.path("offset").asLong()).isEqualTo(offset);
            JsonNode fresh = publish(c, 3, room, "l-2", true);
            assertThat(fresh.path("op").asText()).isEqualTo("ack");
            assertThat(fresh.has("duplicate")).isFalse();
            assertThat(historyScanned()).as("retry lookups leave the resume readers alone").isEqualTo(before);
        }
    }

    @Test
    void shouldAnswerARetryWhoseWindowIsLargerThanALookupMayReadAsUnknown() {
        RoomName room = RoomName.of("chat:" + TestNames.unique("lookup-big"));
        for (int i = 0; i < 400; i++) {
            SHARED.kafka().json(room, "{\"filler\":" + i + "}");
        }
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            JsonNode answer = publish(c, 1, room, "big-1", true);
            assertThat(answer.path("op").asText()).isEqualTo("error");
            assertThat(answer.path("code").asText()).isEqualTo("outcome_unknown");
            assertThat(answer.path("message").asText()).contains("300 records");
        }
    }
}
