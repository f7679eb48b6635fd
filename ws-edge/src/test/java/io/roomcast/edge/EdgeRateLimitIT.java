package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rate limits (Resilience4j): excess gets rate_limited, the limit recovers, persistent abuse is closed with 4029. */
class EdgeRateLimitIT {
    @RegisterExtension
    static final SharedEdge SHARED = SharedEdge.with(
            b -> b.framesPerSecond(20).rateLimitStrikes(100).connectAttemptsPerIpPerSecond(1000).maxConnectionsPerIp(5));

    private static String pings(int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"op\":\"ping\",\"id\":").append(i).append('}');
        }
        return b.append(']').toString();
    }

    @Test
    void shouldAnswerExcessWithRateLimitedAndRecover() throws Exception {
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            c.send(pings(40));
            List<JsonNode> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                answers.add(c.next());
            }
            long pongs = answers.stream().filter(n -> n.path("op").asText().equals("pong")).count();
            long limited = answers.stream().filter(n -> n.path("code").asText().equals("rate_limited")).count();
            assertThat(pongs).isBetween(1L, 21L);
            assertThat(pongs + limited).isEqualTo(40);

            // the limit refreshes every second: poll until a ping is answered again
            JsonNode answer;
            do {
                assertThat(c.poll(java.time.Duration.ofMillis(200))).isNull();
                c.send("{\"op\":\"ping\",\"id\":\"again\"}");
                answer = c.next();
            } while (!answer.path("op").asText().equals("pong"));
            assertThat(answer.path("id").asText()).isEqualTo("again");
        }
    }

    @Test
    void shouldNameTheRoomOfARateLimitedRequestOnlyWhenItHadAnId() {
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 40; i++) {
                batch.append(i == 0 ? "" : ",").append("{\"op\":\"unsubscribe\",\"id\":").append(i).append(",\"room\":\"chat:rl\"}");
            }
            c.send(batch.append(']').toString());
            List<JsonNode> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                answers.add(c.next());
            }
            assertThat(answers).filteredOn(n -> n.path("code").asText().equals("rate_limited")).isNotEmpty()
                    .allSatisfy(n -> assertThat(n.path("room").asText()).isEqualTo("chat:rl"));

            // Without an id, an answer that named the room would read as a notice that the room's subscription ended.
            c.send("{\"op\":\"publish\",\"room\":\"sys:edges\",\"data\":1}");
            JsonNode refused = c.nextOp("error");
            assertThat(refused.path("code").asText()).isIn("forbidden", "rate_limited");
            assertThat(refused.has("id")).isFalse();
            assertThat(refused.has("room")).isFalse();
        }
    }

    @Test
    void shouldCloseAPersistentAbuserWith4029() {
        double before = SHARED.edge().meters().counter("roomcast.connections.closed", "reason", "rate_limited").count();
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            c.send(pings(100));
            c.send(pings(100));
            assertThat(c.awaitClose()).isEqualTo(4029);
            assertThat(SHARED.edge().meters().counter("roomcast.connections.closed", "reason", "rate_limited").count())
                    .as("counted once, though requests beyond the strikes kept coming").isEqualTo(before + 1);
        }
    }

    @Test
    void shouldRefuseConnectionsBeyondThePerAddressLimit() {
        List<WsClient> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                open.add(WsClient.connect(SHARED.edge().wsUrl()));
            }
            assertThatThrownBy(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create(SHARED.edge().wsUrl()), new WebSocket.Listener() {
                    }).join())
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(WebSocketHandshakeException.class);
        } finally {
            open.forEach(WsClient::close);
        }
    }
}
