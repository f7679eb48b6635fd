package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.roomcast.edge.auth.AuthConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** JWT authentication end to end: tokens at connect and by frame, room permissions, expiry, Origin. */
class EdgeAuthIT {
    private static final String SECRET = "0123456789abcdef0123456789abcdef-test-secret";
    private static AuthConfig.Builder auth() {
        return AuthConfig.builder().hs256Secret(SECRET).clockSkew(Duration.ZERO)
                .anonymousSubscribe(List.of("logs")).allowedOrigins(List.of("https://app.example.com"));
    }

    /** This edge opts in to {@code ?token=}, which most tests here use; the default refuses it. */
    @RegisterExtension
    static final SharedEdge SHARED = SharedEdge.with(
            b -> b.auth(auth().allowQueryToken(true).build()).pingInterval(Duration.ofMillis(200)).heartbeatTimeout(Duration.ofSeconds(30)));

    static String token(String secret, Instant expires, List<String> subscribe, List<String> publish) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("alice").expirationTime(Date.from(expires))
                .claim("rooms", Map.of("subscribe", subscribe, "publish", publish)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    private static String valid() throws Exception {
        return token(SECRET, Instant.now().plusSeconds(600), List.of("chat:*"), List.of("chat:lobby"));
    }

    @Test
    void shouldGrantWhatTheTokenAllowsAndForbidTheRest() throws Exception {
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl() + "?token=" + valid())) {
            c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"chat:lobby\"}");
            assertThat(c.nextOp("subscribed").path("id").asInt()).isEqualTo(1);
            c.send("{\"op\":\"subscribe\",\"id\":2,\"room\":\"nowhere:x\"}");
            assertThat(c.nextOp("error").path("code").asText()).isEqualTo("forbidden");
            c.send("{\"op\":\"publish\",\"id\":3,\"room\":\"chat:other\",\"data\":1}");
            JsonNode refused = c.nextOp("error");
            assertThat(refused.path("id").asInt()).isEqualTo(3);
            assertThat(refused.path("code").asText()).isEqualTo("forbidden");
            c.send("{\"op\":\"publish\",\"id\":4,\"room\":\"chat:lobby\",\"data\":1}");
            assertThat(c.nextOp("ack").path("id").asInt()).isEqualTo(4);
        }
    }

    @Test
    void shouldLetAnonymousClientsOnlyIntoAnonymousNamespaces() {
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"logs:api\"}");
            assertThat(c.nextOp("subscribed").path("room").asText()).isEqualTo("logs:api");
            c.send("{\"op\":\"subscribe\",\"id\":2,\"room\":\"chat:lobby\"}");
            assertThat(c.nextOp("error").path("code").asText()).isEqualTo("unauthorized");
            c.send("{\"op\":\"publish\",\"id\":3,\"room\":\"logs:api\",\"data\":1}");
            assertThat(c.nextOp("error").path("code").asText()).isEqualTo("unauthorized");
        }
    }

    @Test
    void shouldCloseWith4401ForForgedExpiredAndGarbageTokens() throws Exception {
        for (String bad : List.of(
                token("another-secret-another-secret-another-secret", Instant.now().plusSeconds(600), List.of("*"), List.of("*")),
                token(SECRET, Instant.now().minusSeconds(5), List.of("*"), List.of("*")),
                "not.a.jwt", "%00%01garbage")) {
            try (WsClient c = WsClient.connect(SHARED.edge().wsUrl() + "?token=" + bad)) {
                assertThat(c.awaitClose()).as(bad).isEqualTo(4401);
            }
        }
    }

    /**
     * Garbage in an {@code auth} frame on a connection that is already authenticated: each is refused
     * with its own id, and the connection keeps its token, its subscription and its deliveries.
     */
    @Test
    void shouldRefuseGarbageAuthFramesAndKeepTheConnectionsTokenAndSubscription() throws Exception {
        JWTClaimsSet bobClaims = new JWTClaimsSet.Builder().subject("bob").expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .claim("rooms", Map.of("subscribe", List.of("*"), "publish", List.of("*"))).build();
        SignedJWT bob = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), bobClaims);
        bob.sign(new MACSigner(SECRET));
        String room = "chat:auth-garbage-" + io.roomcast.testkit.TestNames.unique();
        String alice = token(SECRET, Instant.now().plusSeconds(600), List.of("chat:*"), List.of("chat:*"));
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl() + "?token=" + alice)) {
            c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\"}");
            c.nextOp("subscribed");
            c.nextOp("live");
            List<String> garbage = List.of("\"not.a.jwt\"", "\"\"", "\"" + "A".repeat(10_000) + "\"",
                    "\"" + token("another-secret-another-secret-another-secret", Instant.now().plusSeconds(600), List.of("*"), List.of("*")) + "\"",
                    "\"" + token(SECRET, Instant.now().minusSeconds(5), List.of("*"), List.of("*")) + "\"",
                    "\"" + bob.serialize() + "\"");
            for (int i = 0; i < garbage.size(); i++) {
                c.send("{\"op\":\"auth\",\"id\":" + (100 + i) + ",\"token\":" + garbage.get(i) + "}");
                JsonNode refused = c.nextOp("error");
                assertThat(refused.path("id").asInt()).as(garbage.get(i)).isEqualTo(100 + i);
                assertThat(refused.path("code").asText()).as(garbage.get(i))
                        .isEqualTo(i == garbage.size() - 1 ? "forbidden" : i == 1 ? "bad_request" : "unauthorized");
                if (i == 2) {
                    assertThat(refused.path("message").asText()).as("over 8 KiB, as in the URL").contains("malformed");
                }
            }
            for (String notAToken : List.of("42", "null", "{}", "[\"x\"]")) {
                c.send("{\"op\":\"auth\",\"id\":7,\"token\":" + notAToken + "}");
                assertThat(c.nextOp("error").path("code").asText()).as(notAToken).isEqualTo("bad_request");
            }

            c.send("{\"op\":\"publish\",\"id\":8,\"room\":\"" + room + "\",\"data\":{\"still\":\"alice\"}}");
            // The live event may overtake the ack (both follow Kafka's answer): read until both came, in either order.
            List<JsonNode> answered = new java.util.ArrayList<>();
            while (answered.stream().noneMatch(f -> f.path("op").asText().equals("ack"))
                    || answered.stream().noneMatch(f -> f.path("op").asText().equals("event"))) {
                answered.add(c.next());
            }
            assertThat(answered).filteredOn(f -> f.path("op").asText().equals("ack")).extracting(f -> f.path("id").asInt())
                    .as("the connection still speaks for alice").containsExactly(8);
            assertThat(answered).filteredOn(f -> f.path("op").asText().equals("event")).extracting(f -> f.path("data").path("still").asText())
                    .containsExactly("alice");
            c.send("{\"op\":\"subscribe\",\"id\":9,\"room\":\"nowhere:x\"}");
            assertThat(c.nextOp("error").path("code").asText()).as("bob's wider rights were not taken").isEqualTo("forbidden");
        }
    }

    @Test
    void shouldCloseAtExpiryUnlessTheClientRefreshes() throws Exception {
        String shortLived = token(SECRET, Instant.now().plusSeconds(2), List.of("chat:*"), List.of());
        try (WsClient expiring = WsClient.connect(SHARED.edge().wsUrl() + "?token=" + shortLived);
             WsClient refreshing = WsClient.connect(SHARED.edge().wsUrl() + "?token=" + shortLived)) {
            refreshing.send("{\"op\":\"auth\",\"id\":9,\"token\":\"" + valid() + "\"}");
            JsonNode authed = refreshing.nextOp("authed");
            assertThat(authed.path("id").asInt()).isEqualTo(9);
            assertThat(authed.path("expiresAt").asLong()).isGreaterThan(System.currentTimeMillis());

            assertThat(expiring.awaitClose()).isEqualTo(4401);
            assertThat(expiring.closeReason()).isEqualTo("unauthorized: expired");
            refreshing.send("{\"op\":\"ping\",\"id\":10}");
            assertThat(refreshing.nextOp("pong").path("id").asInt()).isEqualTo(10);
        }
    }

    /**
     * An edge without anonymous namespaces waits for an auth frame: until one comes every request is
     * unauthorized, and after the grace (10 s by default, 1 s here) the connection closes with 4401; one that
     * authenticated stays.
     */
    @Test
    void shouldCloseAnAnonymousConnectionWith4401AfterTheGraceOnAnEdgeWithoutAnonymousNamespaces() throws Exception {
        try (EdgeServer closed = EdgeFixture.start(SHARED.namespaces(), b -> b.auth(AuthConfig.builder().hs256Secret(SECRET).authGrace(Duration.ofSeconds(1)).build()));
             WsClient anonymous = WsClient.connect(closed.wsUrl()); WsClient authed = WsClient.connect(closed.wsUrl())) {
            long connected = System.nanoTime();
            anonymous.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"logs:api\"}");
            assertThat(anonymous.nextOp("error").path("code").asText()).isEqualTo("unauthorized");
            authed.send("{\"op\":\"auth\",\"id\":1,\"token\":\"" + valid() + "\"}");
            assertThat(authed.nextOp("authed").path("id").asInt()).isEqualTo(1);

            assertThat(anonymous.awaitClose()).isEqualTo(4401);
            assertThat(anonymous.closeReason()).isEqualTo("unauthorized: missing");
            assertThat(Duration.ofNanos(System.nanoTime() - connected)).as("not before the grace").isGreaterThanOrEqualTo(Duration.ofMillis(900));
            authed.send("{\"op\":\"ping\",\"id\":2}");
            assertThat(authed.nextOp("pong").path("id").asInt()).isEqualTo(2);
        }
    }

    @Test
    void shouldRefuseATokenInTheUrlByDefaultAndAcceptItInAnAuthFrame() throws Exception {
        try (EdgeServer strict = EdgeFixture.start(SHARED.namespaces(), b -> b.auth(auth().build()))) {
            try (WsClient c = WsClient.connect(strict.wsUrl() + "?token=" + valid())) {
                assertThat(c.awaitClose()).isEqualTo(4401);
                assertThat(c.closeReason()).isEqualTo("unauthorized: token_in_url");
            }
            try (WsClient c = WsClient.connect(strict.wsUrl())) {
                c.send("{\"op\":\"auth\",\"id\":1,\"token\":\"" + valid() + "\"}");
                assertThat(c.nextOp("authed").path("id").asInt()).isEqualTo(1);
                c.send("{\"op\":\"subscribe\",\"id\":2,\"room\":\"chat:lobby\"}");
                assertThat(c.nextOp("subscribed").path("id").asInt()).isEqualTo(2);
            }
        }
    }

    @Test
    void shouldCloseAForeignOriginWith1008AndTakeNothingFromIt() {
        // Closed as soon as it is open, with the close code a browser can see (a refused handshake would be a bare 1006).
        try (WsClient evil = WsClient.connect(SHARED.edge().wsUrl(), Map.of("Origin", "https://evil.example.org"))) {
            assertThat(evil.awaitClose()).isEqualTo(1008);
            assertThat(evil.closeReason()).isEqualTo("origin not allowed");
        }
        try (WsClient allowed = WsClient.connect(SHARED.edge().wsUrl())) {
            allowed.send("{\"op\":\"ping\",\"id\":1}");
            assertThat(allowed.nextOp("pong").path("id").asInt()).isEqualTo(1);
        }
    }
}
