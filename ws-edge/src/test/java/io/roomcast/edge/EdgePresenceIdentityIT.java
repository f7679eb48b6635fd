package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.roomcast.edge.auth.AuthConfig;
import io.roomcast.edge.presence.PresenceConfig;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Who a member is (token subject and name claim, or a chosen, unverified name) and the count-only mode of big rooms. */
class EdgePresenceIdentityIT {
    private static final String SECRET = "0123456789abcdef0123456789abcdef-test-secret";
    @RegisterExtension
    static final SharedEdge SHARED = SharedEdge.with(b -> b
            .auth(AuthConfig.builder().hs256Secret(SECRET).clockSkew(Duration.ZERO).anonymousSubscribe(List.of("logs")).allowQueryToken(true).build())
            .presence(PresenceConfig.ofDefaults().withTopic(TestNames.unique("t") + ".presence").withMaxListedMembers(2)));

    private static String token(String subject, String name) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject).expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .claim("rooms", Map.of("subscribe", List.of("chat:*", "logs:*"), "publish", List.of()));
        if (name != null) {
            claims.claim("name", name);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        jwt.sign(new MACSigner(SECRET));
        return jwt.serialize();
    }

    /** Enters the room; returns the member the connection's own join shows (the joins of those already there come first). */
    private static JsonNode ownJoin(String url, String room, String chosenName, String shownName, WsClient[] keep) {
        WsClient c = WsClient.connect(url);
        keep[0] = c;
        c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"presence\":true"
                + (chosenName == null ? "" : ",\"name\":\"" + chosenName + "\"") + "}");
        c.nextOp("subscribed");
        while (true) {
            JsonNode member = c.nextOp("join").path("member");
            if (member.path("name").asText().equals(shownName)) {
                return member;
            }
        }
    }

    @Test
    void shouldTakeTheNameFromTheTokenOrMarkAChosenNameUnverified() throws Exception {
        String room = "chat:who-" + TestNames.unique();
        WsClient[] a = new WsClient[1];
        WsClient[] b = new WsClient[1];
        WsClient[] g = new WsClient[1];
        try {
            JsonNode alice = ownJoin(SHARED.edge().wsUrl() + "?token=" + token("alice", "Alice Liddell"), room, "Queen", "Alice Liddell", a);
            assertThat(alice.path("user").asText()).isEqualTo("alice");
            assertThat(alice.path("name").asText()).as("the claim wins over a chosen name").isEqualTo("Alice Liddell");
            assertThat(alice.path("verified").asBoolean()).isTrue();

            String logsRoom = "logs:who-" + TestNames.unique();
            JsonNode bob = ownJoin(SHARED.edge().wsUrl() + "?token=" + token("bob", null), logsRoom, "Bobby", "Bobby", b);
            assertThat(bob.path("user").asText()).isEqualTo("bob");
            assertThat(bob.path("name").asText()).isEqualTo("Bobby");
            assertThat(bob.path("verified").asBoolean()).isFalse();

            JsonNode guest = ownJoin(SHARED.edge().wsUrl(), logsRoom, "Guest", "Guest", g);
            assertThat(guest.path("user").isNull()).isTrue();
            assertThat(guest.path("name").asText()).isEqualTo("Guest");
            assertThat(guest.path("verified").asBoolean()).isFalse();
        } finally {
            for (WsClient[] c : List.of(a, b, g)) {
                if (c[0] != null) {
                    c[0].close();
                }
            }
        }
    }

    @Test
    void shouldShowANameClaimWithoutSubjectAndIgnoreOneBreakingTheNameRules() throws Exception {
        // a room each: this edge lists at most two members
        WsClient[] n = new WsClient[1];
        WsClient[] l = new WsClient[1];
        WsClient[] c = new WsClient[1];
        try {
            JsonNode noSubject = ownJoin(SHARED.edge().wsUrl() + "?token=" + token(null, "No Subject"), "chat:claims-" + TestNames.unique(), null, "No Subject", n);
            assertThat(noSubject.path("user").isNull()).isTrue();
            assertThat(noSubject.path("verified").asBoolean()).isTrue();
            // over-long or invisible text in the claim is dropped: the subject shows, as for a token without a name
            JsonNode tooLong = ownJoin(SHARED.edge().wsUrl() + "?token=" + token("frank", "x".repeat(100)), "chat:claims-" + TestNames.unique(), null, "frank", l);
            assertThat(tooLong.path("verified").asBoolean()).isTrue();
            JsonNode control = ownJoin(SHARED.edge().wsUrl() + "?token=" + token("gina", "Bad\u0007Name"), "chat:claims-" + TestNames.unique(), null, "gina", c);
            assertThat(control.path("user").asText()).isEqualTo("gina");
        } finally {
            for (WsClient[] w : List.of(n, l, c)) {
                if (w[0] != null) {
                    w[0].close();
                }
            }
        }
    }

    @Test
    void shouldSendOnlyCountsAboveTheListingLimitAndTheWholeListBackAtIt() throws Exception {
        String room = "logs:big-" + TestNames.unique();
        WsClient[] first = new WsClient[1];
        WsClient[] second = new WsClient[1];
        WsClient[] third = new WsClient[1];
        try {
            ownJoin(SHARED.edge().wsUrl(), room, "One", "One", first);
            ownJoin(SHARED.edge().wsUrl(), room, "Two", "Two", second);
            assertThat(first[0].nextOp("join").path("member").path("name").asText()).isEqualTo("Two");
            WsClient c = WsClient.connect(SHARED.edge().wsUrl());
            third[0] = c;
            c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"presence\":true,\"name\":\"Three\"}");
            JsonNode notice = first[0].nextOp("presence");
            assertThat(notice.path("count").asInt()).isEqualTo(3);
            assertThat(notice.has("members")).isFalse();
            c.send("{\"op\":\"presence\",\"id\":9,\"room\":\"" + room + "\"}");
            JsonNode answer = c.until(f -> f.path("op").asText().equals("presence") && f.path("id").asInt() == 9).stream()
                    .reduce((x, y) -> y).orElseThrow();
            assertThat(answer.path("count").asInt()).isEqualTo(3);
            assertThat(answer.has("members")).isFalse();
            c.close();
            // Back at the limit: the whole list once (no id), then joins and leaves again.
            JsonNode after = first[0].nextOp("presence");
            assertThat(after.path("count").asInt()).isEqualTo(2);
            assertThat(after.has("id")).isFalse();
            assertThat(after.path("members").findValuesAsText("name")).containsExactly("One", "Two");
            second[0].close();
            JsonNode leave = first[0].nextOp("leave");
            assertThat(leave.path("member").path("name").asText()).isEqualTo("Two");
            assertThat(leave.path("count").asInt()).isEqualTo(1);
        } finally {
            for (WsClient[] c : List.of(first, second, third)) {
                if (c[0] != null) {
                    c[0].close();
                }
            }
        }
    }
}
