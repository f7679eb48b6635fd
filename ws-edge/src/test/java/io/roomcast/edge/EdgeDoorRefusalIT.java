package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refusals at the door — too many connections (503), too many connection attempts (429) — carry a
 * body in the endpoint's own error shape: Roomcast's {@code {"error":{"code","message"}}} on
 * {@code /ws} and {@code /sse}, OpenAI's {@code {"error":{"message","type","param","code"}}} on
 * {@code /v1/chat/completions}, which OpenAI SDKs read (and retry on).
 */
class EdgeDoorRefusalIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> WS_UPGRADE = Map.of("Upgrade", "websocket", "Connection", "Upgrade",
            "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version", "13");
    private static final Map<String, String> JSON_BODY = Map.of("Content-Type", "application/json");
    private static final byte[] CHAT = "{\"model\":\"sim-large\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
            .getBytes(StandardCharsets.UTF_8);

    private static SseClient send(EdgeServer edge, String method, String target, Map<String, String> headers, byte[] body) {
        return SseClient.request(method, edge.url() + target, headers, body, 0);
    }

    /** The response's error object, once its status and content type are checked; the response is closed. */
    private static JsonNode error(SseClient response, int status) throws Exception {
        try (response) {
            assertThat(response.status()).isEqualTo(status);
            assertThat(response.header("Content-Type")).isEqualTo("application/json");
            return JSON.readTree(response.errorBody()).path("error");
        }
    }

    private static void assertRoomcastError(SseClient response, int status, String code, String message) throws Exception {
        JsonNode error = error(response, status);
        assertThat(error.path("code").asText()).as(error.toString()).isEqualTo(code);
        assertThat(error.path("message").asText()).as(error.toString()).contains(message);
    }

    private static void assertOpenAiError(SseClient response, int status, String type, String code, String message) throws Exception {
        JsonNode error = error(response, status);
        assertThat(error.path("type").asText()).as(error.toString()).isEqualTo(type);
        assertThat(error.path("code").asText()).as(error.toString()).isEqualTo(code);
        assertThat(error.has("param") && error.path("param").isNull()).as(error.toString()).isTrue();
        assertThat(error.path("message").asText()).as(error.toString()).contains(message);
    }

    @Test
    void shouldWordTooManyConnectionsInEachEndpointsShape() throws Exception {
        try (EdgeServer edge = EdgeFixture.start(EdgeFixture.isolatedNamespaces(), b -> b.maxConnectionsPerIp(1));
             WsClient held = WsClient.connect(edge.wsUrl())) {
            assertRoomcastError(send(edge, "GET", "/ws", WS_UPGRADE, null), 503, "unavailable", "too many connections from");
            assertRoomcastError(send(edge, "GET", "/sse?room=chat:door", Map.of(), null), 503, "unavailable", "too many connections from");
            assertOpenAiError(send(edge, "POST", "/v1/chat/completions", JSON_BODY, CHAT), 503, "server_error", "unavailable",
                    "too many connections from");
        }
    }

    /** The response to the first request of a quick pair that the door throttles (one attempt per second allowed). */
    private static SseClient throttled(EdgeServer edge, String method, String target, Map<String, String> headers, byte[] body) {
        for (int i = 0; i < 20; i++) {
            SseClient response = send(edge, method, target, headers, body);
            if (response.status() == 429) {
                return response;
            }
            response.close();
        }
        throw new AssertionError("20 requests in a row to " + target + " and none throttled");
    }

    @Test
    void shouldWordTooManyAttemptsInEachEndpointsShape() throws Exception {
        try (EdgeServer edge = EdgeFixture.start(EdgeFixture.isolatedNamespaces(), b -> b.connectAttemptsPerIpPerSecond(1))) {
            // Requests the door lets through are answered at once (no upgrade asked, no room, no body): only the door's answer counts.
            assertRoomcastError(throttled(edge, "GET", "/ws", Map.of(), null), 429, "rate_limited", "too many connection attempts");
            assertRoomcastError(throttled(edge, "GET", "/sse", Map.of(), null), 429, "rate_limited", "too many connection attempts");
            assertOpenAiError(throttled(edge, "POST", "/v1/chat/completions", JSON_BODY, "{}".getBytes(StandardCharsets.UTF_8)), 429,
                    "rate_limit_error", "rate_limit_exceeded", "too many connection attempts");
        }
    }
}
