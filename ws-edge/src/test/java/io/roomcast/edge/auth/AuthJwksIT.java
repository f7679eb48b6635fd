package io.roomcast.edge.auth;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import io.roomcast.edge.auth.AuthException.Reason;
import io.roomcast.edge.protocol.CloseCode;
import io.roomcast.edge.protocol.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.roomcast.edge.auth.TestTokens.CLOCK;
import static io.roomcast.edge.auth.TestTokens.claims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Verification against a JWK Set served by a real local HTTP server. */
class AuthJwksIT {
    private static final RSAKey K1 = TestTokens.rsa("k1");
    private static final RSAKey K2 = TestTokens.rsa("k2");
    private static final ECKey E1 = TestTokens.ec("e1");

    private final AtomicReference<String> body = new AtomicReference<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger fetches = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean stall;
    private HttpServer server;
    private Authenticator authenticator;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            try (exchange) {
                if (stall) {
                    release.await(30, TimeUnit.SECONDS);
                }
                byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(status.get(), bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the client gave up (timeout test); nothing to answer
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (authenticator != null) {
            authenticator.close();
        }
        server.stop(0);
    }

    private String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/jwks.json";
    }

    private Authenticator authenticator(String url, Duration timeout) {
        authenticator = Authenticator.create(AuthConfig.builder().jwksUrl(url).jwksTimeout(timeout).build(), CLOCK);
        return authenticator;
    }

    private void serve(JWK... keys) {
        body.set(new JWKSet(List.of(keys)).toPublicJWKSet().toString());
    }

    @Test
    void shouldVerifyRs256AndEs256TokensWithKeysFetchedOnceAndCached() throws AuthException {
        serve(K1, E1);
        Authenticator auth = authenticator(url(), Duration.ofSeconds(5));
        assertThat(auth.mayBlock()).isTrue();

        assertThat(auth.authenticate(TestTokens.rs256(K1, claims().build())).subject()).isEqualTo("alice");
        assertThat(auth.authenticate(TestTokens.es256(E1, claims().subject("bob").build())).subject()).isEqualTo("bob");
        assertThat(auth.authenticate(TestTokens.rs256(K1, claims().subject("carol").build())).subject()).isEqualTo("carol");

        assertThat(fetches).hasValue(1);
    }

    @Test
    void shouldRefetchWhenATokenNamesAnUnknownKidSoRotatedKeysWork() throws AuthException {
        serve(K1);
        Authenticator auth = authenticator(url(), Duration.ofSeconds(5));
        assertThat(auth.authenticate(TestTokens.rs256(K1, claims().build()))).isNotNull();

        serve(K2);
        assertThat(auth.authenticate(TestTokens.rs256(K2, claims().build())).subject()).isEqualTo("alice");
        assertThat(fetches).hasValue(2);
        assertThat(auth.authenticate(TestTokens.rs256(K2, claims().build()))).isNotNull();
        assertThat(fetches).hasValue(2);
    }

    @Test
    void shouldRefuseForgedKidsWithoutHammeringTheIssuer() throws AuthException {
        serve(K1);
        Authenticator auth = authenticator(url(), Duration.ofSeconds(5));
        RSAKey forged = TestTokens.rsa("forged");
        assertThat(auth.authenticate(TestTokens.rs256(K1, claims().build()))).isNotNull();

        AuthException first = catchThrowableOfType(AuthException.class, () -> auth.authenticate(TestTokens.rs256(forged, claims().build())));
        assertThat(first.reason()).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(fetches).hasValue(2);

        // The rate limit (two fetches per 30 s) holds further refetches back: the keys cannot be consulted anew.
        for (int i = 0; i < 5; i++) {
            AuthException again = catchThrowableOfType(AuthException.class, () -> auth.authenticate(TestTokens.rs256(forged, claims().build())));
            assertThat(again.reason()).isEqualTo(Reason.KEY_UNAVAILABLE);
        }
        assertThat(fetches).hasValue(2);
        assertThat(auth.authenticate(TestTokens.rs256(K1, claims().build()))).as("cached keys keep working").isNotNull();
    }

    @Test
    void shouldRefuseHs256TokensSignedWithAJwksKeyAsSecret() throws Exception {
        serve(K1);
        Authenticator auth = authenticator(url(), Duration.ofSeconds(5));
        byte[] publicDer = K1.toPublicKey().getEncoded();

        AuthException e = catchThrowableOfType(AuthException.class, () -> auth.authenticate(TestTokens.hs256(publicDer, claims().build())));
        assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(fetches).as("refused before any key is fetched").hasValue(0);
    }

    @Test
    void shouldReportUnreachableJwksAsKeyUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Authenticator auth = authenticator("http://127.0.0.1:" + closedPort + "/jwks.json", Duration.ofSeconds(2));

        AuthException e = catchThrowableOfType(AuthException.class, () -> auth.authenticate(TestTokens.rs256(K1, claims().build())));
        assertThat(e.reason()).isEqualTo(Reason.KEY_UNAVAILABLE);
        assertThat(e.retryable()).isTrue();
        assertThat(e.errorCode()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(e.closeCode()).isEqualTo(CloseCode.INTERNAL);
        assertThat(e.getCause()).as("kept for the operator's log").isNotNull();
        assertThat(e.getMessage()).doesNotContain(String.valueOf(closedPort));
    }

    @Test
    void shouldReportGarbageJwksAsKeyUnavailable() {
        body.set("<html>not a key set</html>");
        Authenticator auth = authenticator(url(), Duration.ofSeconds(5));

        AuthException e = catchThrowableOfType(AuthException.class, () -> auth.authenticate(TestTokens.rs256(K1, claims().build())));
        assertThat(e.reason()).isEqualTo(Reason.KEY_UNAVAILABLE);
    }

    @Test
    void shouldReportHttpErrorsAsKeyUnavailableAndRecoverWhenTheIssuerDoes() throws AuthException {
        serve(K1);
        status.set(503);
        Authenticator auth = authenticator(url(), Duration.ofSeconds(5));

        AuthException e = catchThrowableOfType(AuthException.class, () -> auth.authenticate(TestTokens.rs256(K1, claims().build())));
        assertThat(e.reason()).isEqualTo(Reason.KEY_UNAVAILABLE);

        status.set(200);
        assertThat(auth.authenticate(TestTokens.rs256(K1, claims().build())).subject()).isEqualTo("alice");
    }

    @Test
    void shouldGiveUpOnAStalledJwksAfterTheTimeout() {
        serve(K1);
        stall = true;
        Authenticator auth = authenticator(url(), Duration.ofMillis(300));

        AuthException e = catchThrowableOfType(AuthException.class, () -> auth.authenticate(TestTokens.rs256(K1, claims().build())));
        assertThat(e.reason()).isEqualTo(Reason.KEY_UNAVAILABLE);
    }
}
