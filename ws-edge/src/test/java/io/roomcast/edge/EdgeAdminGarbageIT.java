package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.edge.http.HttpSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /admin/connections} fed garbage credentials: on the management port every
 * {@code Authorization} that is not {@code Bearer <admin token>} (the scheme in any case) gets 401
 * with {@code WWW-Authenticate: Bearer}, a JSON error and no connection detail; on the public port
 * (no management port) a proxied request with one gets 403; and the right token still lists the
 * connections afterwards.
 */
class EdgeAdminGarbageIT {
    private static final String TOKEN = "admin-token-garbage-0123456789";
    @RegisterExtension
    static final SharedEdge MANAGED = SharedEdge.with(b -> b.http(HttpSettings.ofDefaults().withManagement("127.0.0.1", 0)).adminToken(TOKEN));
    @RegisterExtension
    static final SharedEdge PUBLIC = SharedEdge.with(b -> b.adminToken(TOKEN));
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Authorization values that are not the admin token, each with what is wrong with it. */
    private static final List<String> GARBAGE = List.of(
            "Bearer wrong-token-0123456789",                                   // wrong token
            "Bearer " + TOKEN + "x",                                            // trailing garbage
            "Bearer " + TOKEN + ",Bearer " + TOKEN,                             // the token twice
            "Bearer " + TOKEN.substring(0, TOKEN.length() - 1),                 // a prefix of it
            "Bearer",                                                           // no token
            TOKEN,                                                              // no scheme
            "Basic " + Base64.getEncoder().encodeToString(("admin:" + TOKEN).getBytes(StandardCharsets.UTF_8)), // wrong scheme
            "Token " + TOKEN,                                                   // wrong scheme
            "Bearer " + "A".repeat(8 * 1024));                                  // very long

    private static HttpResponse<String> get(String url, String authorization) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url));
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final String UNAUTHORIZED = "{\"error\":{\"code\":\"unauthorized\",\"message\":\"send Authorization: Bearer <admin token>\"}}";
    private static final String FORBIDDEN = "{\"error\":{\"code\":\"forbidden\",\"message\":\"management endpoints answer local requests, "
            + "the management port, or Authorization: Bearer <admin token> (docs/security.md)\"}}";

    private static void assertUnauthorized(HttpResponse<String> r, String what) {
        assertThat(r.statusCode()).as(what).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).as(what).hasValue("Bearer");
        assertThat(r.body()).as(what).isEqualTo(UNAUTHORIZED); // no connection detail, nothing echoed
    }

    private static HttpResponse<String> proxied(String url, String authorization) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("X-Forwarded-For", "203.0.113.9")
                .header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The right token still works: the connection list, with {@code open} as its total, as JSON. */
    private static void assertListsConnections(String url, int open) throws Exception {
        HttpResponse<String> r = get(url, "Bearer " + TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("total").asInt()).isEqualTo(open);
        assertThat(body.path("connections").size()).isEqualTo(open);
    }

    @Test
    void shouldRefuseGarbageCredentialsOnTheManagementPortWith401() throws Exception {
        String admin = MANAGED.edge().managementUrl() + "/admin/connections";
        try (WsClient client = WsClient.connect(MANAGED.edge().wsUrl())) {
            client.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"chat:admin-garbage\"}");
            client.nextOp("subscribed");
            assertUnauthorized(get(admin, null), "no Authorization");
            for (String authorization : GARBAGE) {
                assertUnauthorized(get(admin, authorization), authorization.length() > 60 ? authorization.substring(0, 60) + "..." : authorization);
            }
            assertThat(get(admin, "bearer " + TOKEN).statusCode()).as("the scheme in any case (RFC 9110)").isEqualTo(200);
            // Nothing lost: the right token lists the open connection with its subscription, the other endpoints answer.
            assertListsConnections(admin, 1);
            assertThat(get(admin, "Bearer " + TOKEN).body()).contains("chat:admin-garbage");
            assertThat(get(MANAGED.edge().managementUrl() + "/metrics", null).statusCode()).isEqualTo(200);
        }
        // On the public port the admin endpoint does not exist, token or not.
        assertThat(get(MANAGED.edge().url() + "/admin/connections", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
        assertThat(get(MANAGED.edge().url() + "/admin/connections", GARBAGE.get(1)).statusCode()).isEqualTo(404);
    }

    @Test
    void shouldRefuseGarbageCredentialsOnThePublicPortWith403ThroughAProxyAnd401Locally() throws Exception {
        String admin = PUBLIC.edge().url() + "/admin/connections";
        for (String authorization : GARBAGE) {
            String what = authorization.length() > 60 ? authorization.substring(0, 60) + "..." : authorization;
            HttpResponse<String> viaProxy = proxied(admin, authorization);
            assertThat(viaProxy.statusCode()).as(what).isEqualTo(403);
            assertThat(viaProxy.body()).as(what).isEqualTo(FORBIDDEN);
            assertThat(proxied(PUBLIC.edge().url() + "/metrics", authorization).statusCode()).as(what).isEqualTo(403);
            // A local request passes the guard, but /admin/connections always needs the token as well.
            assertUnauthorized(get(admin, authorization), what);
        }
        assertThat(get(admin, null).statusCode()).isEqualTo(401);
        // Nothing lost: the right token works through the proxy and locally.
        assertThat(proxied(admin, "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertListsConnections(admin, 0);
    }

    @Test
    void shouldAnswer404WithoutAnAdminTokenConfigured() throws Exception {
        try (EdgeServer edge = EdgeFixture.start(EdgeFixture.isolatedNamespaces(),
                b -> b.http(HttpSettings.ofDefaults().withManagement("127.0.0.1", 0)))) {
            for (String authorization : List.of("Bearer " + TOKEN, "Bearer ", "garbage")) {
                HttpResponse<String> r = get(edge.managementUrl() + "/admin/connections", authorization);
                assertThat(r.statusCode()).as(authorization).isEqualTo(404);
                assertThat(r.body()).isEqualTo("{\"error\":{\"code\":\"not_found\",\"message\":\"admin endpoint disabled: set an admin token\"}}");
            }
            assertThat(get(edge.managementUrl() + "/admin/connections", null).statusCode()).isEqualTo(404);
        }
    }
}
