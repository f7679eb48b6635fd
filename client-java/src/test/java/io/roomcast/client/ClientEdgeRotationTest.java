package io.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClientEdgeRotationTest {

    @Test
    void shouldRotateRoundRobin() {
        EdgeRotation rotation = new EdgeRotation(List.of(URI.create("ws://a:1/ws"), URI.create("ws://b:2/ws")));
        assertThat(List.of(rotation.next(), rotation.next(), rotation.next(), rotation.next())).extracting(URI::getHost)
                .containsExactly("a", "b", "a", "b");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "ws://h:8080, ws://h:8080/ws",
            "ws://h:8080/, ws://h:8080/ws",
            "ws://h:8080/ws, ws://h:8080/ws",
            "wss://h/custom/path, wss://h/custom/path",
            "ws://h:1/ws?x=1, ws://h:1/ws?x=1"})
    void shouldAddTheProtocolPathWhereNoneIsGiven(String given, String used) {
        assertThat(new EdgeRotation(List.of(URI.create(given))).next()).isEqualTo(URI.create(used));
    }

    @ParameterizedTest(name = "{0} + token -> {1}")
    @CsvSource({
            "ws://h/ws, ws://h/ws?token=abc",
            "ws://h/ws?x=1, ws://h/ws?x=1&token=abc",
            "ws://h/ws#frag, ws://h/ws?token=abc"})
    void shouldAppendTheToken(String edge, String expected) {
        assertThat(EdgeRotation.withToken(URI.create(edge), "abc")).isEqualTo(URI.create(expected));
    }

    @Test
    void shouldEncodeTokensAndLeaveUrisWithoutTokenAlone() {
        assertThat(EdgeRotation.withToken(URI.create("ws://h/ws"), "a b&c=d").toString()).isEqualTo("ws://h/ws?token=a+b%26c%3Dd");
        assertThat(EdgeRotation.withToken(URI.create("ws://h/ws"), null)).isEqualTo(URI.create("ws://h/ws"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://h/ws", "h:80", "ws:///ws", "file:/tmp/x"})
    void shouldRefuseUrisThatAreNotWebSocketEdges(String uri) {
        assertThatThrownBy(() -> new EdgeRotation(List.of(URI.create(uri)))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseAnEmptyList() {
        assertThatThrownBy(() -> new EdgeRotation(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
