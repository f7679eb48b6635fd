package io.roomcast.edge.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import io.roomcast.edge.auth.AuthException.Reason;
import io.roomcast.edge.protocol.CloseCode;
import io.roomcast.edge.protocol.ErrorCode;
import io.roomcast.room.RoomName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static io.roomcast.edge.auth.TestTokens.CLOCK;
import static io.roomcast.edge.auth.TestTokens.NOW;
import static io.roomcast.edge.auth.TestTokens.SECRET;
import static io.roomcast.edge.auth.TestTokens.claims;
import static io.roomcast.edge.auth.TestTokens.hs256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AuthTokenTest {
    private static final RSAKey RSA = TestTokens.rsa("r1");
    private static final RSAKey OTHER_RSA = TestTokens.rsa("r2");
    private static final ECKey EC = TestTokens.ec("e1");

    private static final Authenticator HMAC = Authenticator.create(AuthConfig.builder().hs256Secret(SECRET).build(), CLOCK);
    private static final Authenticator RSA_PEM = Authenticator.create(AuthConfig.builder().publicKeyPem(TestTokens.pem(RSA)).build(), CLOCK);
    private static final Authenticator EC_PEM = Authenticator.create(AuthConfig.builder().publicKeyPem(TestTokens.pem(EC)).build(), CLOCK);
    private static final Authenticator STRICT = Authenticator.create(AuthConfig.builder().hs256Secret(SECRET)
            .issuer("https://issuer.example").audience("roomcast").build(), CLOCK);

    @AfterAll
    static void close() {
        Stream.of(HMAC, RSA_PEM, EC_PEM, STRICT).forEach(Authenticator::close);
    }

    @Test
    void shouldAcceptValidHs256TokenAndReadItsClaims() throws AuthException {
        Principal p = HMAC.authenticate(hs256(SECRET, claims().build()));

        assertThat(p.subject()).isEqualTo("alice");
        assertThat(p.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
        assertThat(p.permissions().maySubscribe(RoomName.of("chat:anything"))).isTrue();
        assertThat(p.permissions().mayPublish(RoomName.of("chat:team/x"))).isTrue();
        assertThat(p.permissions().mayPublish(RoomName.of("chat:other"))).isFalse();
        assertThat(p.roles()).isEmpty();
        assertThat(HMAC.mayBlock()).isFalse();
        assertThat(HMAC.authenticate(hs256(SECRET, claims().claim("roles", List.of("producer")).build())).roles())
                .containsExactly("producer");
    }

    @Test
    void shouldAcceptValidRs256TokenWithPemPublicKeyWhateverItsKid() throws AuthException {
        assertThat(RSA_PEM.authenticate(TestTokens.rs256(RSA, claims().build())).subject()).isEqualTo("alice");
        RSAKey sameKeyOtherKid = new RSAKey.Builder(RSA).keyID("renamed").build();
        assertThat(RSA_PEM.authenticate(TestTokens.rs256(sameKeyOtherKid, claims().build())).subject()).isEqualTo("alice");
    }

    @Test
    void shouldAcceptValidEs256TokenWithPemPublicKey() throws AuthException {
        assertThat(EC_PEM.authenticate(TestTokens.es256(EC, claims().build())).subject()).isEqualTo("alice");
    }

    @Test
    void shouldAcceptTokensWithinClockSkewAndWithOptionalParts() throws AuthException {
        assertThat(HMAC.authenticate(hs256(SECRET, claims().expirationTime(Date.from(NOW.minusSeconds(29))).build()))).isNotNull();
        assertThat(HMAC.authenticate(hs256(SECRET, claims().notBeforeTime(Date.from(NOW.plusSeconds(29))).build()))).isNotNull();
        assertThat(HMAC.authenticate(hs256(SECRET, claims().subject(null).build())).subject()).isEmpty();
        assertThat(HMAC.authenticate(hs256(SECRET, claims().claim("rooms", Map.of()).build())).permissions())
                .isEqualTo(Permissions.none());
        for (String typ : List.of("JWT", "jwt", "at+jwt", "application/at+JWT")) {
            assertThat(HMAC.authenticate(TestTokens.hs256Typed(SECRET, new JOSEObjectType(typ), claims().build()))).isNotNull();
        }
        assertThat(HMAC.authenticate(" " + hs256(SECRET, claims().build()) + "\n")).isNotNull();
    }

    @Test
    void shouldAcceptConfiguredIssuerAndAudienceInAnAudienceList() throws AuthException {
        String token = hs256(SECRET, claims().issuer("https://issuer.example").audience(List.of("other", "roomcast")).build());
        assertThat(STRICT.authenticate(token).subject()).isEqualTo("alice");
    }

    static Stream<Arguments> refusals() {
        String rsaPem = TestTokens.pem(RSA);
        byte[] rsaDer;
        try {
            rsaDer = RSA.toPublicKey().getEncoded();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        String payload = TestTokens.validPayloadJson();
        byte[] junk = new byte[600];
        new Random(42).nextBytes(junk);
        return Stream.of(
                row("HS256 signed with another secret", HMAC, hs256("another-secret-another-secret-another!!", claims().build()), Reason.BAD_SIGNATURE),
                row("RS256 signed with another RSA key", RSA_PEM, TestTokens.rs256(OTHER_RSA, claims().build()), Reason.BAD_SIGNATURE),
                row("ES256 token against an RSA key", RSA_PEM, TestTokens.es256(EC, claims().build()), Reason.BAD_SIGNATURE),
                row("RS256 token against an HS256 secret", HMAC, TestTokens.rs256(RSA, claims().build()), Reason.BAD_SIGNATURE),
                row("signature of one token on another's claims", HMAC, swapPayload(hs256(SECRET, claims().build()),
                        claims().claim("rooms", Map.of("publish", List.of("*"))).build()), Reason.BAD_SIGNATURE),
                row("forged alg none", HMAC, TestTokens.raw("{\"alg\":\"none\"}", payload, ""), Reason.BAD_SIGNATURE),
                row("forged alg none against an RSA key", RSA_PEM, TestTokens.raw("{\"alg\":\"none\",\"typ\":\"JWT\"}", payload, ""), Reason.BAD_SIGNATURE),
                row("forged alg None", HMAC, TestTokens.raw("{\"alg\":\"None\"}", payload, "c2ln"), Reason.BAD_SIGNATURE),
                row("forged alg none with a signature", HMAC, TestTokens.raw("{\"alg\":\"none\"}", payload, "c2ln"), Reason.MALFORMED),
                row("HS256 with the RSA public key PEM as secret", RSA_PEM, hs256(rsaPem, claims().build()), Reason.BAD_SIGNATURE),
                row("HS256 with the RSA public key DER as secret", RSA_PEM, hs256(rsaDer, claims().build()), Reason.BAD_SIGNATURE),
                row("expired beyond the skew", HMAC, hs256(SECRET, claims().expirationTime(Date.from(NOW.minusSeconds(31))).build()), Reason.EXPIRED),
                row("expired long ago", RSA_PEM, TestTokens.rs256(RSA, claims().expirationTime(Date.from(Instant.EPOCH)).build()), Reason.EXPIRED),
                row("nbf beyond the skew", HMAC, hs256(SECRET, claims().notBeforeTime(Date.from(NOW.plusSeconds(31))).build()), Reason.NOT_YET_VALID),
                row("no exp", HMAC, hs256(SECRET, claims().expirationTime(null).build()), Reason.MALFORMED),
                row("exp not a number", HMAC, hs256(SECRET, claims().claim("exp", "tomorrow").build()), Reason.MALFORMED),
                row("sub an object", HMAC, hs256(SECRET, claims().claim("sub", Map.of("id", 42)).build()), Reason.MALFORMED),
                row("typ not a JWT", HMAC, TestTokens.hs256Typed(SECRET, new JOSEObjectType("secevent+jwt"), claims().build()), Reason.MALFORMED),
                row("wrong issuer", STRICT, hs256(SECRET, claims().issuer("https://evil.example").audience("roomcast").build()), Reason.WRONG_ISSUER),
                row("no issuer", STRICT, hs256(SECRET, claims().audience("roomcast").build()), Reason.WRONG_ISSUER),
                row("wrong audience", STRICT, hs256(SECRET, claims().issuer("https://issuer.example").audience("someone-else").build()), Reason.WRONG_AUDIENCE),
                row("no audience", STRICT, hs256(SECRET, claims().issuer("https://issuer.example").build()), Reason.WRONG_AUDIENCE),
                row("aud an object", STRICT, hs256(SECRET, claims().issuer("https://issuer.example").claim("aud", Map.of("roomcast", true)).build()), Reason.WRONG_AUDIENCE),
                row("roles a string", HMAC, hs256(SECRET, claims().claim("roles", "producer").build()), Reason.MALFORMED),
                row("roles with a number", HMAC, hs256(SECRET, claims().claim("roles", List.of("producer", 7)).build()), Reason.MALFORMED),
                row("17 roles", HMAC, hs256(SECRET, claims().claim("roles", Collections.nCopies(17, "r")).build()), Reason.MALFORMED),
                row("no rooms claim", HMAC, hs256(SECRET, claims().claim("rooms", null).build()), Reason.NO_PERMISSIONS),
                row("rooms a string", HMAC, hs256(SECRET, claims().claim("rooms", "chat:*").build()), Reason.NO_PERMISSIONS),
                row("rooms.subscribe a string", HMAC, hs256(SECRET, claims().claim("rooms", Map.of("subscribe", "chat:*")).build()), Reason.NO_PERMISSIONS),
                row("rooms with an invalid pattern", HMAC, hs256(SECRET, claims().claim("rooms", Map.of("publish", List.of("chat:*:x*"))).build()), Reason.NO_PERMISSIONS),
                row("rooms with too many patterns", HMAC, hs256(SECRET, claims().claim("rooms",
                        Map.of("subscribe", Collections.nCopies(Permissions.MAX_PATTERNS + 1, "chat:x"))).build()), Reason.NO_PERMISSIONS),
                row("null", HMAC, null, Reason.MISSING),
                row("empty", HMAC, "", Reason.MISSING),
                row("blank", HMAC, "   ", Reason.MISSING),
                row("three dots", HMAC, "...", Reason.MALFORMED),
                row("two dots", HMAC, "..", Reason.MALFORMED),
                row("a.b.c", HMAC, "a.b.c", Reason.MALFORMED),
                row("random bytes", HMAC, new String(junk, StandardCharsets.ISO_8859_1), Reason.MALFORMED),
                row("random bytes in three parts", HMAC, new String(junk, 0, 100, StandardCharsets.ISO_8859_1) + "."
                        + new String(junk, 100, 100, StandardCharsets.ISO_8859_1) + ".x", Reason.MALFORMED),
                row("9 KB of junk", HMAC, "eyJ" + "A".repeat(9 * 1024), Reason.MALFORMED),
                row("9 KB of dots", HMAC, ".".repeat(9 * 1024), Reason.MALFORMED),
                row("header not JSON", HMAC, TestTokens.raw("not json", payload, "c2ln"), Reason.MALFORMED),
                row("header without alg", HMAC, TestTokens.raw("{\"typ\":\"JWT\"}", payload, "c2ln"), Reason.MALFORMED),
                row("payload not JSON", HMAC, TestTokens.raw("{\"alg\":\"HS256\"}", "not json", "c2ln"), Reason.MALFORMED),
                row("payload a JSON array", HMAC, TestTokens.raw("{\"alg\":\"HS256\"}", "[1,2]", "c2ln"), Reason.MALFORMED),
                row("five parts (JWE form) of junk", HMAC, "a.b.c.d.e", Reason.MALFORMED),
                row("JWE header", HMAC, TestTokens.raw("{\"alg\":\"dir\",\"enc\":\"A128GCM\"}", "x", "y") + ".z.w", Reason.MALFORMED),
                row("alg of 2 KB", HMAC, TestTokens.raw("{\"alg\":\"" + "H".repeat(2048) + "\"}", payload, "c2ln"), Reason.BAD_SIGNATURE));
    }

    private static Arguments row(String name, Authenticator authenticator, String token, Reason reason) {
        return Arguments.of(name, authenticator, token, reason);
    }

    @ParameterizedTest(name = "{0} -> {3}")
    @MethodSource("refusals")
    void shouldRefuseWithTheRightReasonAndNeverEchoTheToken(String name, Authenticator authenticator, String token, Reason reason) {
        AuthException e = catchThrowableOfType(AuthException.class, () -> authenticator.authenticate(token));

        assertThat(e).as(name).isNotNull();
        assertThat(e.reason()).as(name).isEqualTo(reason);
        assertThat(e.getMessage()).isNotBlank().hasSizeLessThan(200);
        if (token != null) {
            for (String part : token.split("\\.")) {
                if (part.length() >= 8) {
                    assertThat(e.getMessage()).doesNotContain(part);
                }
            }
        }
        assertThat(e.errorCode()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(e.closeCode()).isEqualTo(CloseCode.UNAUTHORIZED);
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void shouldRefuseToAuthenticateOnAnOpenEdge() {
        try (Authenticator open = Authenticator.create(AuthConfig.ofDefaults(), CLOCK)) {
            assertThatThrownBy(() -> open.authenticate(hs256(SECRET, claims().build()))).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void shouldMapOnlyKeyUnavailabilityToRetryableCodes() {
        AuthException e = new AuthException(Reason.KEY_UNAVAILABLE, "keys unavailable");
        assertThat(e.retryable()).isTrue();
        assertThat(e.errorCode()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(e.closeCode()).isEqualTo(CloseCode.INTERNAL);
        List<String> wires = new ArrayList<>();
        for (Reason r : Reason.values()) {
            wires.add(r.wire());
        }
        assertThat(wires).containsExactly("missing", "malformed", "bad_signature", "expired", "not_yet_valid",
                "wrong_issuer", "wrong_audience", "no_permissions", "token_in_url", "key_unavailable");
    }

    /** The header and signature of {@code token} with the payload of {@code claims}. */
    private static String swapPayload(String token, JWTClaimsSet claims) {
        String[] parts = token.split("\\.");
        String other;
        try {
            other = TestTokens.sign(new MACSigner("x".repeat(32)), new JWSHeader(JWSAlgorithm.HS256), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return parts[0] + "." + other.split("\\.")[1] + "." + parts[2];
    }
}
