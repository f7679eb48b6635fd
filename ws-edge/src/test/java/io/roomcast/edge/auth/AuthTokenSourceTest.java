package io.roomcast.edge.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AuthTokenSourceTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            // raw query                    | token (NULL = no token parameter, EMPTY = "")
            "NULL                            | NULL",
            "EMPTY                           | NULL",
            "a=1                             | NULL",
            "tokenx=1                        | NULL",
            "xtoken=1                        | NULL",
            "Token=1                         | NULL",
            "token=abc                       | abc",
            "a=1&token=abc                   | abc",
            "token=abc&token=def             | abc",
            "&&token=x&                      | x",
            "=y&token=x                      | x",
            "token=                          | EMPTY",
            "token                           | EMPTY",
            "token&token=x                   | EMPTY",
            "token=a%2Eb.c                   | a.b.c",
            "token=a=b                       | a=b",
            "token=eyJ.eyJ.sig%3D%3D         | eyJ.eyJ.sig==",
            "token=%C3%A9                    | é",
    })
    void shouldTakeTheFirstTokenParameterDecoded(String query, String expected) throws AuthException {
        assertThat(TokenSource.fromQuery(empty(query))).isEqualTo(Optional.ofNullable(empty(expected)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"token=%", "token=%zz", "token=%G1", "a=1&token=abc%2"})
    void shouldRefuseBrokenPercentEncoding(String query) {
        AuthException e = catchThrowableOfType(AuthException.class, () -> TokenSource.fromQuery(query));
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(AuthException.Reason.MALFORMED);
    }

    @Test
    void shouldAcceptTokensUpToTheLimitAndRefuseLongerOnes() throws AuthException {
        String atLimit = "a".repeat(TokenSource.MAX_TOKEN_LENGTH);
        assertThat(TokenSource.fromQuery("token=" + atLimit)).contains(atLimit);

        for (String query : new String[] {"token=" + atLimit + "a", "token=" + "%41".repeat(TokenSource.MAX_TOKEN_LENGTH + 1),
                "token=" + "x".repeat(1_000_000)}) {
            AuthException e = catchThrowableOfType(AuthException.class, () -> TokenSource.fromQuery(query));
            assertThat(e.reason()).isEqualTo(AuthException.Reason.MALFORMED);
            assertThat(e.getMessage()).hasSizeLessThan(100);
        }
    }

    @Test
    void shouldIgnoreOverlongOtherParameters() throws AuthException {
        assertThat(TokenSource.fromQuery("junk=" + "x".repeat(100_000) + "&token=t")).contains("t");
    }

    private static String empty(String s) {
        return "EMPTY".equals(s) ? "" : s;
    }
}
