package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.edge.ephemeral.EphemeralConfig;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ephemeral signals on a real Kafka: delivered live to the subscribers that asked for them on any
 * edge, never to others, never in any replay; refused where the namespace disallows them, above
 * their size limit and their own rate limit.
 */
class EdgeEphemeralIT {
    @RegisterExtension
    static final SharedEdge SHARED = SharedEdge.with(b -> b.ephemeral(EphemeralConfig.ofDefaults()
            .withTopic(TestNames.unique("t") + ".ephemeral").withNamespaces(Set.of("chat")).withLimits(256, 5)));

    private static String room() {
        return "chat:eph-" + TestNames.unique();
    }

    private static WsClient subscribe(String room, String extra) {
        WsClient c = WsClient.connect(SHARED.edge().wsUrl());
        c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\"" + extra + "}");
        c.nextOp("subscribed");
        c.nextOp("live");
        return c;
    }

    @Test
    void shouldDeliverSignalsLiveOnlyToSubscribersThatAskedAndNeverReplayThem() throws InterruptedException {
        String room = room();
        try (WsClient wants = subscribe(room, ",\"ephemeral\":true");
             WsClient plain = subscribe(room, "");
             WsClient sender = WsClient.connect(SHARED.edge().wsUrl())) {
            // the first signal may race the subscriber's tail reaching the partition's end: publish until one arrives
            JsonNode signal = null;
            for (int i = 0; signal == null && i < 50; i++) {
                sender.send("{\"op\":\"publish\",\"id\":" + i + ",\"room\":\"" + room + "\",\"type\":\"typing\",\"data\":{\"who\":\"ann\"},\"ephemeral\":true}");
                JsonNode ack = sender.nextOp("ack");
                assertThat(ack.path("ephemeral").asBoolean()).isTrue();
                assertThat(ack.has("offset")).isFalse();
                signal = wants.poll(Duration.ofMillis(200));
            }
            assertThat(signal).isNotNull();
            assertThat(signal.path("op").asText()).isEqualTo("event");
            assertThat(signal.path("type").asText()).isEqualTo("typing");
            assertThat(signal.path("ephemeral").asBoolean()).isTrue();
            assertThat(signal.has("offset")).isFalse();
            assertThat(signal.path("client").asText()).isNotEmpty();
            assertThat(signal.path("data").path("who").asText()).isEqualTo("ann");

            sender.send("{\"op\":\"publish\",\"id\":\"m\",\"room\":\"" + room + "\",\"data\":{\"text\":\"stored\"}}");
            long stored = sender.nextOp("ack").path("offset").asLong();
            JsonNode event = plain.nextOp("event");
            assertThat(event.path("offset").asLong()).as("the plain subscriber sees only the stored event").isEqualTo(stored);
        }
        for (String from : List.of("\"earliest\"", "{\"last\":100}", "{\"time\":0}")) {
            try (WsClient late = WsClient.connect(SHARED.edge().wsUrl())) {
                late.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"from\":" + from + ",\"ephemeral\":true}");
                List<JsonNode> history = late.until(f -> f.path("op").asText().equals("live"));
                List<JsonNode> events = new ArrayList<>(history);
                events.removeIf(f -> !f.path("op").asText().equals("event"));
                assertThat(events).as("replay from " + from).hasSize(1).allMatch(e -> !e.has("ephemeral") && e.path("type").asText().equals("message"));
            }
        }
    }

    @Test
    void shouldRefuseSignalsWhereTheNamespaceDisallowsThemAndAboveTheirLimits() {
        String room = room();
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            c.send("{\"op\":\"publish\",\"id\":1,\"room\":\"logs:api\",\"data\":{},\"ephemeral\":true}");
            JsonNode forbidden = c.nextOp("error");
            assertThat(forbidden.path("code").asText()).isEqualTo("forbidden");
            assertThat(forbidden.path("message").asText()).contains("does not allow ephemeral");
            c.send("{\"op\":\"subscribe\",\"id\":2,\"room\":\"logs:api\",\"ephemeral\":true}");
            assertThat(c.nextOp("error").path("code").asText()).isEqualTo("forbidden");

            c.send("{\"op\":\"publish\",\"id\":3,\"room\":\"" + room + "\",\"data\":\"" + "x".repeat(300) + "\",\"ephemeral\":true}");
            assertThat(c.nextOp("error").path("code").asText()).isEqualTo("too_large");

            StringBuilder flood = new StringBuilder("[");
            for (int i = 0; i < 10; i++) {
                flood.append(i == 0 ? "" : ",").append("{\"op\":\"publish\",\"id\":").append(10 + i).append(",\"room\":\"").append(room)
                        .append("\",\"type\":\"cursor\",\"data\":{\"x\":").append(i).append("},\"ephemeral\":true}");
            }
            c.send(flood.append("]").toString());
            List<String> answers = new ArrayList<>();
            while (answers.size() < 10) {
                JsonNode f = c.next();
                if (f.path("op").asText().equals("ack")) {
                    answers.add("ack");
                } else if (f.path("op").asText().equals("error")) {
                    answers.add(f.path("code").asText());
                }
            }
            assertThat(answers).filteredOn("rate_limited"::equals).hasSizeGreaterThanOrEqualTo(4);
            assertThat(answers).filteredOn("ack"::equals).hasSizeLessThanOrEqualTo(6);
        }
    }
}
