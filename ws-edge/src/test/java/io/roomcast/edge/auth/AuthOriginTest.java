package io.roomcast.edge.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthOriginTest {

    @ParameterizedTest(name = "[{0}] allows {1}: {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            // allowed (space-separated)               | Origin header                          | allowed?
            "                                           | https://anything.example               | true",
            "                                           | null                                   | true",
            "https://app.example.com                    | https://app.example.com                | true",
            "https://app.example.com                    | HTTPS://APP.EXAMPLE.COM                | true",
            "https://app.example.com                    | https://app.example.com:443            | true",
            "https://app.example.com:443                | https://app.example.com                | true",
            "https://app.example.com                    | https://app.example.com/               | true",
            "https://app.example.com                    | NULL                                   | true",
            "https://app.example.com                    | http://app.example.com                 | false",
            "https://app.example.com                    | https://app.example.com:8443           | false",
            "https://app.example.com                    | https://app.example.com.evil.net       | false",
            "https://app.example.com                    | https://evilapp.example.com            | false",
            "https://app.example.com                    | https://x.app.example.com              | false",
            "https://app.example.com                    | https://app.example.com@evil.net       | false",
            "https://app.example.com                    | https://app.example.com/path           | false",
            "https://app.example.com                    | null                                   | false",
            "https://app.example.com                    | ''                                     | false",
            "https://app.example.com                    | app.example.com                        | false",
            "https://app.example.com                    | https://app.example.com:99999          | false",
            "https://*.example.com                      | https://a.example.com                  | true",
            "https://*.example.com                      | https://a.b.example.com                | true",
            "https://*.example.com                      | https://example.com                    | false",
            "https://*.example.com                      | https://aexample.com                   | false",
            "https://*.example.com                      | http://a.example.com                   | false",
            "https://*.example.com                      | https://a.example.com:444              | false",
            "https://*.example.com                      | https://a.example.com.evil.net         | false",
            "https://*.example.com                      | https://*.example.com                  | false",
            "https://*.example.com:8443                 | https://a.example.com:8443             | true",
            "https://*.example.com https://example.com  | https://example.com                    | true",
            "http://localhost:5173                      | http://localhost:5173                  | true",
            "http://localhost:5173                      | http://localhost                       | false",
            "http://[::1]:8080                          | http://[::1]:8080                      | true",
            "http://127.0.0.1:8080                      | http://127.0.0.1:8080                  | true",
    })
    void shouldAllowOnlyListedOrigins(String allowed, String origin, boolean expected) {
        List<String> list = allowed == null ? List.of() : Arrays.asList(allowed.trim().split("\\s+"));
        assertThat(OriginPolicy.of(list).allows(origin)).isEqualTo(expected);
    }

    @Test
    void shouldRefuseOverlongAndBinaryOriginHeaders() {
        OriginPolicy policy = OriginPolicy.of(List.of("https://*.example.com"));
        assertThat(policy.allows("https://" + "a".repeat(400) + ".example.com")).isFalse();
        assertThat(policy.allows("https://a\u0000.example.com")).isFalse();
        assertThat(policy.allows("https://a\u00e9.example.com")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "example.com", "https://", "https://a.com/path", "https://*.", "https://*.com", "https://a.*.com",
            "https://exa mple.com", "https://a.com:99999", "https://a.com:0", "//a.com", "https://a.com?x", "https://user@a.com"})
    void shouldRefuseInvalidEntries(String entry) {
        assertThatThrownBy(() -> OriginPolicy.of(List.of(entry))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid allowed origin");
    }

    @Test
    void shouldRefuseNullEntryAndNormaliseEntries() {
        assertThatThrownBy(() -> OriginPolicy.of(Arrays.asList("https://a.com", null))).isInstanceOf(IllegalArgumentException.class);
        assertThat(OriginPolicy.of(List.of("HTTPS://*.Example.COM:443", "http://x.com:8080")).entries())
                .containsExactly("https://*.example.com", "http://x.com:8080");
        assertThat(OriginPolicy.allowAll().allowsAll()).isTrue();
    }
}
