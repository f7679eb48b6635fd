package io.roomcast.edge.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The presence, ephemeral and compact fields of the protocol. */
class FrameParserCollabTest {
    private final FrameParser parser = new FrameParser();

    private ClientFrame one(String text) {
        return parser.parse(text).get(0);
    }

    @Test
    void shouldParseSubscribeOptions() {
        var s = (ClientFrame.Subscribe) one("{\"op\":\"subscribe\",\"id\":1,\"room\":\"chat:a\",\"presence\":true,\"ephemeral\":true,\"compact\":true,\"name\":\"Ann\"}");
        assertThat(s.presence()).isTrue();
        assertThat(s.ephemeral()).isTrue();
        assertThat(s.compact()).isTrue();
        assertThat(s.name()).isEqualTo("Ann");
        var plain = (ClientFrame.Subscribe) one("{\"op\":\"subscribe\",\"id\":1,\"room\":\"chat:a\"}");
        assertThat(plain.presence() || plain.ephemeral() || plain.compact()).isFalse();
        assertThat(plain.name()).isNull();
    }

    @Test
    void shouldRefuseOptionsOfTheWrongType() {
        assertThat(one("{\"op\":\"subscribe\",\"id\":1,\"room\":\"chat:a\",\"presence\":\"yes\"}"))
                .isInstanceOfSatisfying(ClientFrame.Invalid.class, i -> assertThat(i.message()).contains("presence must be true or false"));
        assertThat(one("{\"op\":\"subscribe\",\"id\":1,\"room\":\"chat:a\",\"name\":42}")).isInstanceOf(ClientFrame.Invalid.class);
        assertThat(one("{\"op\":\"subscribe\",\"id\":1,\"room\":\"chat:a\",\"name\":\"" + "x".repeat(1001) + "\"}"))
                .isInstanceOf(ClientFrame.Invalid.class);
        assertThat(one("{\"op\":\"publish\",\"id\":1,\"room\":\"chat:a\",\"data\":1,\"ephemeral\":1}")).isInstanceOf(ClientFrame.Invalid.class);
        assertThat(one("{\"op\":\"publish\",\"id\":1,\"room\":\"chat:a\",\"data\":1,\"ephemeral\":true,\"eventId\":\"e1\"}"))
                .isInstanceOfSatisfying(ClientFrame.Invalid.class, i -> assertThat(i.message()).contains("no eventId"));
    }

    @Test
    void shouldParsePresenceQueriesAndEphemeralPublishes() {
        assertThat(one("{\"op\":\"presence\",\"id\":7,\"room\":\"chat:a\"}")).isInstanceOfSatisfying(ClientFrame.Presence.class,
                p -> assertThat(p.room().value()).isEqualTo("chat:a"));
        assertThat(one("{\"op\":\"presence\",\"id\":7}")).isInstanceOf(ClientFrame.Invalid.class);
        var p = (ClientFrame.Publish) one("{\"op\":\"publish\",\"id\":1,\"room\":\"chat:a\",\"type\":\"typing\",\"data\":{},\"ephemeral\":true}");
        assertThat(p.ephemeral()).isTrue();
        assertThat(p.type()).isEqualTo("typing");
    }
}
