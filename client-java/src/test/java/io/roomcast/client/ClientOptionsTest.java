package io.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClientOptionsTest {

    @Test
    void shouldHaveTheDocumentedDefaults() {
        ClientOptions o = ClientOptions.ofDefaults();
        assertThat(o.tokenSupplier()).isEmpty();
        assertThat(o.backoff()).isEqualTo(BackoffPolicy.ofDefaults());
        assertThat(o.pingInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.pongTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.publishQueueLimit()).isEqualTo(1000);
        assertThat(o.publishTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.maxBufferedEvents()).isEqualTo(10_000);
        assertThat(o.listenerExecutor()).isEmpty();
        assertThat(o.scheduler()).isEmpty();
        assertThat(o.httpClient()).isEmpty();
    }

    @Test
    void shouldCopyThroughToBuilder() {
        ClientOptions o = ClientOptions.builder().token("t").pingInterval(Duration.ofSeconds(5)).publishQueueLimit(7).build();
        ClientOptions copy = o.toBuilder().pongTimeout(Duration.ofSeconds(2)).build();
        assertThat(copy.tokenSupplier().orElseThrow().get()).isEqualTo("t");
        assertThat(copy.pingInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(copy.publishQueueLimit()).isEqualTo(7);
        assertThat(copy.pongTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.pongTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    static Stream<Arguments> invalid() {
        return Stream.<Arguments>of(
                Arguments.of("token", (Consumer<ClientOptions.Builder>) b -> b.token("")),
                Arguments.of("pingInterval", (Consumer<ClientOptions.Builder>) b -> b.pingInterval(Duration.ZERO)),
                Arguments.of("pongTimeout", (Consumer<ClientOptions.Builder>) b -> b.pongTimeout(Duration.ofMillis(-1))),
                Arguments.of("connectTimeout", (Consumer<ClientOptions.Builder>) b -> b.connectTimeout(null)),
                Arguments.of("publishTimeout", (Consumer<ClientOptions.Builder>) b -> b.publishTimeout(Duration.ZERO)),
                Arguments.of("publishQueueLimit", (Consumer<ClientOptions.Builder>) b -> b.publishQueueLimit(0)),
                Arguments.of("maxSubscriptions", (Consumer<ClientOptions.Builder>) b -> b.maxSubscriptions(-3)),
                Arguments.of("maxBufferedEvents", (Consumer<ClientOptions.Builder>) b -> b.maxBufferedEvents(0)),
                Arguments.of("maxFrameBytes", (Consumer<ClientOptions.Builder>) b -> b.maxFrameBytes(10)),
                Arguments.of("maxInboundFrameChars", (Consumer<ClientOptions.Builder>) b -> b.maxInboundFrameChars(10)),
                Arguments.of("backoff", (Consumer<ClientOptions.Builder>) b -> b.backoff(null)),
                Arguments.of("clock", (Consumer<ClientOptions.Builder>) b -> b.clock(null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void shouldRefuseInvalidValuesNamingTheOption(String option, Consumer<ClientOptions.Builder> change) {
        assertThatThrownBy(() -> change.accept(ClientOptions.builder())).hasMessageContaining(option);
    }

    @Test
    void shouldValidatePublishOptionsAndFrom() {
        assertThatThrownBy(() -> PublishOptions.ofType("bad type")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PublishOptions.ofType("x".repeat(65))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PublishOptions.ofDefaults().withEventId("tab\there")).isInstanceOf(IllegalArgumentException.class);
        assertThat(PublishOptions.ofType("token").withEventId("c1-000017").eventId()).isEqualTo("c1-000017");
        assertThatThrownBy(() -> PublishOptions.ofDefaults().withEventId("has space")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PublishOptions.ofDefaults().asRetry()).hasMessageContaining("needs an eventId");
        assertThat(PublishOptions.ofDefaults().withEventId("e-1").asRetry().retry()).isTrue();
        assertThatThrownBy(() -> From.last(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> From.last(10_001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> From.after(-2, "E")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> From.time(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RoomNames.requireValid("chat:x y")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RoomNames.requireValid("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RoomNames.requireValid("r".repeat(201))).isInstanceOf(IllegalArgumentException.class);
        assertThat(RoomNames.requireValid("chat:lobby/a@b.c-d_e")).isEqualTo("chat:lobby/a@b.c-d_e");
    }

    @Test
    void shouldMapWireErrorCodes() {
        assertThat(ErrorCode.fromWire("forbidden")).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(ErrorCode.fromWire("limit_exceeded")).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        assertThat(ErrorCode.fromWire("timeout")).isEqualTo(ErrorCode.UNKNOWN); // client-side codes never come from the edge
        assertThat(ErrorCode.fromWire("brand_new")).isEqualTo(ErrorCode.UNKNOWN);
        assertThat(ErrorCode.fromWire(null)).isEqualTo(ErrorCode.UNKNOWN);
    }
}
