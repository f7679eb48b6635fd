package io.roomcast.edge.auth;

import com.nimbusds.jose.JWSAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthConfigTest {

    @Test
    void shouldBeOpenByDefault() {
        AuthConfig config = AuthConfig.ofDefaults();

        assertThat(config.open()).isTrue();
        assertThat(config.keys()).isEmpty();
        assertThat(config.clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.authGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.origins().allowsAll()).isTrue();
        assertThat(config.describe()).contains("open");
    }

    @Test
    void shouldTakeEachKindOfKey(@TempDir Path dir) throws Exception {
        assertThat(AuthConfig.builder().hs256Secret(TestTokens.SECRET).build().keys().orElseThrow().algorithms())
                .containsExactly(JWSAlgorithm.HS256);
        assertThat(AuthConfig.builder().publicKeyPem(TestTokens.pem(TestTokens.rsa("r"))).build().keys().orElseThrow().algorithms())
                .containsExactly(JWSAlgorithm.RS256);
        Path file = dir.resolve("ec.pem");
        Files.writeString(file, "comment before the block\n" + TestTokens.pem(TestTokens.ec("e")));
        assertThat(AuthConfig.builder().publicKeyFile(file).build().keys().orElseThrow().algorithms())
                .containsExactly(JWSAlgorithm.ES256);
        AuthConfig jwks = AuthConfig.builder().jwksUrl("https://issuer.example/.well-known/jwks.json").build();
        assertThat(jwks.keys().orElseThrow()).isInstanceOf(VerificationKeys.Jwks.class);
        assertThat(jwks.describe()).contains("https://issuer.example/.well-known/jwks.json");
    }

    @Test
    void shouldTreatBlankSettingsAsUnset() {
        AuthConfig config = AuthConfig.builder().hs256Secret("  ").publicKeyPem("").jwksUrl(null).issuer(" ").audience(null)
                .anonymousSubscribe(null).allowedOrigins(null).build();
        assertThat(config.open()).isTrue();
    }

    @Test
    void shouldNeverShowTheSecret() {
        AuthConfig config = AuthConfig.builder().hs256Secret(TestTokens.SECRET).issuer("https://i").build();

        assertThat(config.describe()).doesNotContain(TestTokens.SECRET).contains("HS256").contains("iss=https://i");
        assertThat(config.keys().orElseThrow().toString()).doesNotContain(TestTokens.SECRET);
    }

    static Stream<Arguments> garbage() throws Exception {
        KeyPairGenerator rsa1024 = KeyPairGenerator.getInstance("RSA");
        rsa1024.initialize(1024);
        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new ECGenParameterSpec("secp384r1"));
        byte[] privateDer = KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate().getEncoded();
        String privatePem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(privateDer) + "\n-----END PRIVATE KEY-----";
        return Stream.of(
                row("short secret", b -> b.hs256Secret("short"), "at least 32 bytes"),
                row("31-byte secret", b -> b.hs256Secret("x".repeat(31)), "at least 32 bytes"),
                row("short byte secret", b -> b.hs256Secret(new byte[16]), "at least 32 bytes"),
                row("PEM not PEM", b -> b.publicKeyPem("hello"), "not PEM"),
                row("PEM with junk body", b -> b.publicKeyPem("-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----"), "not PEM"),
                row("PEM with mismatched end", b -> b.publicKeyPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END CERTIFICATE-----"), "not PEM"),
                row("PEM of no key", b -> b.publicKeyPem("-----BEGIN PUBLIC KEY-----\nAAAAAAAA\n-----END PUBLIC KEY-----"), "neither an RSA nor an EC"),
                row("PEM bad base64", b -> b.publicKeyPem("-----BEGIN PUBLIC KEY-----\nAAAAA\n-----END PUBLIC KEY-----"), "base64"),
                row("private key", b -> b.publicKeyPem(privatePem), "private key"),
                row("PKCS#1", b -> b.publicKeyPem("-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----"), "PKCS#1"),
                row("bad certificate", b -> b.publicKeyPem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"), "certificate"),
                row("unknown block", b -> b.publicKeyPem("-----BEGIN FOO-----\nAAAA\n-----END FOO-----"), "unsupported PEM block"),
                row("RSA 1024", b -> b.publicKeyPem(TestTokens.pem(rsa1024.generateKeyPair().getPublic())), "at least 2048"),
                row("EC P-384", b -> b.publicKeyPem(TestTokens.pem(p384.generateKeyPair().getPublic())), "only P-256"),
                row("missing key file", b -> b.publicKeyFile(Path.of("/nonexistent/key.pem")), "cannot read the public key file"),
                row("two key sources", b -> b.hs256Secret(TestTokens.SECRET).jwksUrl("https://i/jwks"), "only one of"),
                row("PEM text and file", b -> b.publicKeyPem("x").publicKeyFile(Path.of("k.pem")), "not both"),
                row("JWKS not a URL", b -> b.jwksUrl("not a url"), "invalid jwksUrl"),
                row("JWKS relative", b -> b.jwksUrl("/jwks.json"), "invalid jwksUrl"),
                row("JWKS ftp", b -> b.jwksUrl("ftp://issuer/jwks"), "http or https"),
                row("JWKS TTL too short", b -> b.jwksUrl("https://i/jwks").jwksCacheTtl(Duration.ofSeconds(5)), "jwksCacheTtl"),
                row("JWKS timeout zero", b -> b.jwksUrl("https://i/jwks").jwksTimeout(Duration.ZERO), "jwksTimeout"),
                row("negative skew", b -> b.hs256Secret(TestTokens.SECRET).clockSkew(Duration.ofSeconds(-1)), "clockSkew"),
                row("huge skew", b -> b.hs256Secret(TestTokens.SECRET).clockSkew(Duration.ofHours(1)), "clockSkew"),
                row("no grace", b -> b.hs256Secret(TestTokens.SECRET).authGrace(Duration.ZERO), "authGrace"),
                row("null grace", b -> b.hs256Secret(TestTokens.SECRET).authGrace(null), "authGrace"),
                row("endless grace", b -> b.hs256Secret(TestTokens.SECRET).authGrace(Duration.ofHours(1)), "authGrace"),
                row("null skew", b -> b.clockSkew(null), "clockSkew"),
                row("bad namespace", b -> b.hs256Secret(TestTokens.SECRET).anonymousSubscribe(Set.of("chat:lobby")), "invalid namespace"),
                row("null namespace", b -> b.hs256Secret(TestTokens.SECRET).anonymousPublish(java.util.Arrays.asList("chat", null)), "invalid namespace"),
                row("anonymous without keys", b -> b.anonymousSubscribe(Set.of("logs")), "no token verification"),
                row("issuer without keys", b -> b.issuer("https://i"), "no token verification"),
                row("audience without keys", b -> b.audience("roomcast"), "no token verification"),
                row("bad origin", b -> b.allowedOrigins(List.of("example.com")), "invalid allowed origin"));
    }

    private static Arguments row(String name, UnaryOperator<AuthConfig.Builder> settings, String message) {
        return Arguments.of(name, settings, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbage")
    void shouldRefuseGarbageConfigWithAClearMessage(String name, UnaryOperator<AuthConfig.Builder> settings, String message) {
        assertThatThrownBy(() -> settings.apply(AuthConfig.builder()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void shouldNameTheFileWhenItHoldsNoKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("junk.pem");
        Files.write(file, new byte[] {(byte) 0xff, 0, 1, 2});
        assertThatThrownBy(() -> AuthConfig.builder().publicKeyFile(file).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(file.toString());
        Files.writeString(file, "-----BEGIN PUBLIC KEY-----\nAAAAAAAA\n-----END PUBLIC KEY-----", StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> AuthConfig.builder().publicKeyFile(file).build())
                .hasMessageContaining(file.toString()).hasMessageContaining("neither");
    }
}
