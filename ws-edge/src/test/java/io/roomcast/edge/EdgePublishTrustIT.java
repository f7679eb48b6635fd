package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.roomcast.edge.auth.AuthConfig;
import io.roomcast.edge.publish.PublishSettings;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Trust between publishers on an edge that verifies tokens: an eventId is deduplicated per
 * publisher (Bob cannot pre-publish Alice's id), system event types need a producer role, prompts
 * have a quota per room and per principal, and a retry that cannot be looked up is a clear
 * {@code bad_request}.
 */
class EdgePublishTrustIT {
    private static final String SECRET = "0123456789abcdef0123456789abcdef-test-secret";
    private static final AuthConfig AUTH = AuthConfig.builder().hs256Secret(SECRET)
            .anonymousSubscribe(List.of("logs", "chat")).anonymousPublish(List.of("logs")).build();
    @RegisterExtension
    static final SharedEdge SHARED = SharedEdge.with(b -> b.auth(AUTH)
            .publish(PublishSettings.defaults().withPromptQuota(3, 2)));

    private static String token(String subject, List<String> roles) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject).expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .claim("rooms", Map.of("subscribe", List.of("*"), "publish", List.of("*")));
        if (roles != null) {
            claims.claim("roles", roles);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        jwt.sign(new MACSigner(SECRET));
        return jwt.serialize();
    }

    private static WsClient as(String subject) throws Exception {
        return authed(token(subject, null));
    }

    /** A connection that sends its token in an auth frame (the edge refuses tokens in URLs). */
    private static WsClient authed(String token) {
        WsClient c = WsClient.connect(SHARED.edge().wsUrl());
        c.send("{\"op\":\"auth\",\"id\":\"auth\",\"token\":\"" + token + "\"}");
        c.nextOp("authed");
        return c;
    }

    private static RoomName room(String namespace) {
        return RoomName.of(namespace + ":" + TestNames.unique("trust"));
    }

    private static JsonNode publish(WsClient c, int id, RoomName room, String type, String eventId, String extra) {
        c.send("{\"op\":\"publish\",\"id\":" + id + ",\"room\":\"" + room + "\",\"type\":\"" + type + "\",\"data\":{\"n\":" + id + "}"
                + (eventId == null ? "" : ",\"eventId\":\"" + eventId + "\"") + extra + "}");
        while (true) {
            JsonNode n = c.next();
            if (n.path("id").asInt(-1) == id) {
                return n;
            }
        }
    }

    private static List<String> eventIds(RoomName room) {
        try (WsClient reader = WsClient.connect(SHARED.edge().wsUrl())) {
            reader.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"from\":\"earliest\"}");
            List<String> ids = new ArrayList<>();
            for (JsonNode n : reader.until(n -> n.path("op").asText().equals("live"))) {
                if (n.path("op").asText().equals("event")) {
                    ids.add(n.path("eventId").asText("-"));
                }
            }
            return ids;
        }
    }

    @Test
    void shouldNotLetOnePublisherPreemptAnotherPublishersEventId() throws Exception {
        RoomName room = room("chat");
        try (WsClient bob = as("bob"); WsClient alice = as("alice")) {
            JsonNode bobs = publish(bob, 1, room, "message", "order-1", "");
            assertThat(bobs.path("op").asText()).isEqualTo("ack");

            JsonNode alices = publish(alice, 2, room, "message", "order-1", "");
            assertThat(alices.path("op").asText()).isEqualTo("ack");
            assertThat(alices.path("duplicate").asBoolean()).as("Bob's event does not count as Alice's").isFalse();
            assertThat(alices.path("offset").asLong()).isNotEqualTo(bobs.path("offset").asLong());

            // Alice's resend is still deduplicated, locally and through the Kafka lookup of a retry
            JsonNode again = publish(alice, 3, room, "message", "order-1", "");
            assertThat(again.path("duplicate").asBoolean()).isTrue();
            assertThat(again.path("offset").asLong()).isEqualTo(alices.path("offset").asLong());
        }
        try (WsClient aliceElsewhere = as("alice")) {
            JsonNode retried = publish(aliceElsewhere, 4, room, "message", "order-1", ",\"retry\":true");
            assertThat(retried.path("duplicate").asBoolean()).isTrue();
            assertThat(retried.path("offset").asLong()).as("the retry finds Alice's write, not Bob's")
                    .isNotEqualTo(-1).isGreaterThan(0);
        }
        assertThat(eventIds(room)).containsExactly("order-1", "order-1");
    }

    @Test
    void shouldScopeAnonymousEventIdsToTheConnection() {
        RoomName room = room("logs");
        try (WsClient one = WsClient.connect(SHARED.edge().wsUrl()); WsClient two = WsClient.connect(SHARED.edge().wsUrl())) {
            assertThat(publish(one, 1, room, "message", "line-1", "").path("op").asText()).isEqualTo("ack");
            JsonNode other = publish(two, 2, room, "message", "line-1", "");
            assertThat(other.path("op").asText()).isEqualTo("ack");
            assertThat(other.path("duplicate").asBoolean()).isFalse();
            assertThat(publish(one, 3, room, "message", "line-1", "").path("duplicate").asBoolean()).isTrue();
        }
        assertThat(eventIds(room)).containsExactly("line-1", "line-1");
    }

    @Test
    void shouldReserveSystemEventTypesForProducers() throws Exception {
        RoomName room = room("chat");
        try (WsClient alice = as("alice");
             WsClient producer = authed(token("model", List.of("producer")))) {
            int id = 1;
            for (String type : List.of("token", "generation.started", "generation.done", "generation.message", "generation.anything")) {
                JsonNode refused = publish(alice, id++, room, type, null, "");
                assertThat(refused.path("code").asText()).as(type).isEqualTo("forbidden");
            }
            assertThat(publish(alice, id++, room, "message", null, "").path("op").asText()).isEqualTo("ack");
            assertThat(publish(alice, id++, room, "generations", null, "").path("op").asText()).isEqualTo("ack");
            assertThat(publish(producer, id++, room, "token", null, "").path("op").asText()).isEqualTo("ack");
            assertThat(publish(producer, id, room, "generation.done", null, "").path("op").asText()).isEqualTo("ack");
        }
    }

    @Test
    void shouldLimitPromptsPerRoomAndPerPrincipal() throws Exception {
        RoomName busy = room("chat");
        try (WsClient a = as("prompter-a"); WsClient b = as("prompter-b"); WsClient c = as("prompter-c")) {
            assertThat(publish(a, 1, busy, "prompt", null, "").path("op").asText()).isEqualTo("ack");
            assertThat(publish(b, 2, busy, "prompt", null, "").path("op").asText()).isEqualTo("ack");
            assertThat(publish(c, 3, busy, "prompt", null, "").path("op").asText()).isEqualTo("ack");
            JsonNode roomFull = publish(c, 4, busy, "prompt", null, "");
            assertThat(roomFull.path("code").asText()).as("3 prompts per room and minute").isEqualTo("rate_limited");
            assertThat(publish(c, 5, busy, "message", null, "").path("op").asText()).as("other types are not counted").isEqualTo("ack");

            assertThat(publish(a, 6, room("chat"), "prompt", null, "").path("op").asText()).isEqualTo("ack");
            JsonNode principalFull = publish(a, 7, room("chat"), "prompt", null, "");
            assertThat(principalFull.path("code").asText()).as("2 prompts per principal and minute").isEqualTo("rate_limited");
        }
    }

    @Test
    void shouldRefuseARetryIntoAnUnknownNamespaceAsABadRequest() throws Exception {
        try (WsClient alice = as("alice")) {
            JsonNode answer = publish(alice, 1, RoomName.of("nowhere:x"), "message", "e-1", ",\"retry\":true");
            assertThat(answer.path("code").asText()).isEqualTo("bad_request");
            JsonNode plain = publish(alice, 2, RoomName.of("nowhere:x"), "message", "e-2", "");
            assertThat(plain.path("code").asText()).isEqualTo("bad_request");
        }
    }
}
