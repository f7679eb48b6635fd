package io.roomcast.room;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoomNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"chat:lobby", "logs:api", "lobby", "a", "chat:team/eng@x-1.2_3", "chat:a:b"})
    void shouldAcceptValidNames(String name) {
        assertThat(RoomName.of(name).value()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "chat: lobby", "chat:lobby\n", "chat:ä", "chat:<script>", "chat:lobby?x", "\u0000", "chat:\ud83d\ude00"})
    void shouldRejectGarbageWithAClearMessage(String name) {
        assertThatThrownBy(() -> RoomName.of(name)).isInstanceOf(InvalidRoomNameException.class)
                .hasMessageContaining("invalid room name");
    }

    @Test
    void shouldRejectNullAndOverlongNames() {
        assertThatThrownBy(() -> RoomName.of(null)).isInstanceOf(InvalidRoomNameException.class);
        assertThatThrownBy(() -> RoomName.of("x".repeat(201))).isInstanceOf(InvalidRoomNameException.class);
        assertThat(RoomName.of("x".repeat(200)).value()).hasSize(200);
    }

    @Test
    void shouldTakeTheNamespaceBeforeTheFirstColon() {
        assertThat(RoomName.of("chat:lobby").namespace()).isEqualTo("chat");
        assertThat(RoomName.of("chat:a:b").namespace()).isEqualTo("chat");
        assertThat(RoomName.of("lobby").namespace()).isEqualTo("");
    }

    @Test
    void shouldMapNamespacesToTopicsAndRefuseUnknownOnes() {
        Namespaces ns = Namespaces.ofDefaults();
        assertThat(ns.of(RoomName.of("chat:x")).topic()).isEqualTo("roomcast.chat");
        assertThat(ns.of(RoomName.of("logs:api")).topic()).isEqualTo("roomcast.logs");
        assertThat(ns.of(RoomName.of("x")).topic()).isEqualTo("roomcast.events");
        assertThatThrownBy(() -> ns.of(RoomName.of("nope:x"))).isInstanceOf(UnknownNamespaceException.class)
                .hasMessageContaining("not configured");
    }

    @Test
    void shouldPlaceARoomWhereKafkasDefaultPartitionerDoes() {
        byte[] key = "chat:lobby".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int expected = org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(key)) % 7;
        assertThat(RoomPartitioner.partition(RoomName.of("chat:lobby"), 7)).isEqualTo(expected);
    }
}
