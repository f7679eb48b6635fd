package io.roomcast.edge;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.roomcast.edge.auth.AuthConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP transports under the WebSocket's access rules: tokens from an Authorization header or
 * the roomcast_token cookie (never the URL), room permissions, anonymous namespaces, Origin, and a
 * stream that ends when its token expires; the OpenAI endpoint refuses in OpenAI's shape.
 */
class EdgeSseAuthIT {
    private static final String SECRET = "0123456789abcdef0123456789abcdef-test-secret";
    private static final AuthConfig AUTH = AuthConfig.builder().hs256Secret(SECRET).clockSkew(Duration.ZERO)
            .anonymousSubscribe(List.of("logs")).allowedOrigins(List.of("https://app.example.com")).build();
    @RegisterExtension
    static final SharedEdge SHARED = SharedEdge.with(b -> b.auth(AUTH));

    private static String token(Instant expires) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("alice").expirationTime(Date.from(expires))
                .claim("rooms", Map.of("subscribe", List.of("chat:*"), "publish", List.of("chat:lobby"))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET));
        return jwt.serialize();
    }

    private static String sse(String room) {
        return SHARED.edge().url() + "/sse?room=" + room;
    }

    private static void assertRefused(SseClient c, int status, String code) {
        assertThat(c.status()).isEqualTo(status);
        assertThat(c.errorJson().path("error").path("code").asText()).isEqualTo(code);
    }

    @Test
    void shouldTakeTheTokenFromTheAuthorizationHeaderOrTheCookie() throws Exception {
        String valid = token(Instant.now().plusSeconds(600));
        try (SseClient c = SseClient.get(sse("chat:lobby"), Map.of("Authorization", "Bearer " + valid))) {
            assertThat(c.status()).isEqualTo(200);
            assertThat(c.nextNamed("subscribed").json().path("room").asText()).isEqualTo("chat:lobby");
        }
        try (SseClient c = SseClient.get(sse("chat:lobby"), Map.of("Cookie", "theme=dark; roomcast_token=" + valid))) {
            assertThat(c.status()).isEqualTo(200);
            c.nextNamed("live");
        }
        try (SseClient c = SseClient.get(sse("logs:api"), Map.of())) {
            assertThat(c.status()).as("anonymous namespace").isEqualTo(200);
        }
    }

    @Test
    void shouldRefuseMissingWrongAndMisplacedTokens() throws Exception {
        String valid = token(Instant.now().plusSeconds(600));
        try (SseClient c = SseClient.get(sse("chat:lobby"), Map.of())) {
            assertRefused(c, 401, "unauthorized");
        }
        try (SseClient c = SseClient.get(sse("chat:lobby"), Map.of("Authorization", "Bearer not-a-jwt"))) {
            assertRefused(c, 401, "unauthorized");
        }
        try (SseClient c = SseClient.get(sse("chat:lobby"), Map.of("Authorization", "Basic YWxpY2U6c2VjcmV0"))) {
            assertRefused(c, 401, "unauthorized");
        }
        try (SseClient c = SseClient.get(sse("chat:lobby") + "&token=" + valid, Map.of())) {
            assertRefused(c, 400, "bad_request");
            assertThat(c.errorBody()).doesNotContain(valid);
        }
        try (SseClient c = SseClient.get(sse("other"), Map.of("Authorization", "Bearer " + valid))) {
            assertRefused(c, 403, "forbidden");
        }
        try (SseClient c = SseClient.get(sse("logs:api"), Map.of("Origin", "https://evil.example.com"))) {
            assertRefused(c, 403, "forbidden");
        }
    }

    @Test
    void shouldEndTheStreamWhenItsTokenExpires() throws Exception {
        try (SseClient c = SseClient.get(sse("chat:lobby"), Map.of("Authorization", "Bearer " + token(Instant.now().plusSeconds(2))))) {
            assertThat(c.status()).isEqualTo(200);
            c.nextNamed("live");
            await().atMost(Duration.ofSeconds(15)).until(c::ended);
        }
    }

    @Test
    void shouldRefuseOpenAiCallsInOpenAisShape() throws Exception {
        String valid = token(Instant.now().plusSeconds(600));
        byte[] body = "{\"model\":\"sim\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8);
        String url = SHARED.edge().url() + "/v1/chat/completions";
        try (SseClient c = SseClient.request("POST", url, Map.of("Authorization", "Bearer sk-wrong"), body, 0)) {
            assertThat(c.status()).isEqualTo(401);
            assertThat(c.errorJson().path("error").path("code").asText()).isEqualTo("invalid_api_key");
        }
        try (SseClient c = SseClient.request("POST", url, Map.of(), body, 0)) {
            assertThat(c.status()).isEqualTo(401);
        }
        try (SseClient c = SseClient.request("POST", url, Map.of("Authorization", "Bearer " + valid, "X-Roomcast-Room", "chat:other"), body, 0)) {
            assertThat(c.status()).isEqualTo(403);
            assertThat(c.errorJson().path("error").path("code").asText()).isEqualTo("permission_denied");
            assertThat(c.errorJson().path("error").path("type").asText()).isEqualTo("invalid_request_error");
        }
    }
}
