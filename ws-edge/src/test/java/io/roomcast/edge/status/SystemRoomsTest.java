package io.roomcast.edge.status;

import io.roomcast.room.Namespace;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SystemRoomsTest {

    @Test
    void shouldAddTheSystemNamespaceBesideTheDefaultTopic() {
        assertThat(SystemRooms.including(Namespaces.ofDefaults()).find("sys").orElseThrow().topic()).isEqualTo("roomcast.sys");
        Namespaces prefixed = Namespaces.of(new Namespace(Namespace.DEFAULT_NAME, "t1.events", 1, Duration.ofDays(1), 10));
        assertThat(SystemRooms.including(prefixed).find("sys").orElseThrow().topic()).isEqualTo("t1.sys");
    }

    @Test
    void shouldKeepAConfiguredSystemNamespace() {
        Namespaces own = Namespaces.of(new Namespace("sys", "ops.status", 3, Duration.ofHours(1), 10));
        assertThat(SystemRooms.including(own)).isSameAs(own);
    }

    @Test
    void shouldMarkOnlySystemRoomsReadOnly() {
        assertThat(SystemRooms.readOnly(SystemRooms.EDGES)).isTrue();
        assertThat(SystemRooms.readOnly(RoomName.of("sys:anything"))).isTrue();
        assertThat(SystemRooms.readOnly(RoomName.of("chat:sys"))).isFalse();
        assertThat(SystemRooms.readOnly(RoomName.of("sys"))).isFalse();
    }
}
