package io.roomcast.edge.presence;

import io.roomcast.room.RoomName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PresenceCodecTest {
    private static final RoomName ROOM = RoomName.of("chat:lobby");

    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldRoundTripALeaseAndATombstone() {
        Member m = new Member("e1.s1", null, "Ann", 1234, false);
        var lease = LeaseCodec.decode(key("chat:lobby e1.s1"), LeaseCodec.value(ROOM, m, Duration.ofSeconds(30))).orElseThrow();
        assertThat(lease.room()).isEqualTo(ROOM);
        assertThat(lease.member()).isEqualTo(m);
        assertThat(lease.ttlMs()).isEqualTo(30_000);
        var tombstone = LeaseCodec.decode(key("chat:lobby e1.s1"), null).orElseThrow();
        assertThat(tombstone.member()).isNull();
        assertThat(tombstone.client()).isEqualTo("e1.s1");
    }

    @Test
    void shouldIgnoreRecordsNoEdgeWrote() {
        Member m = new Member("e1.s1", "u", "U", 1, true);
        byte[] value = LeaseCodec.value(ROOM, m, Duration.ofSeconds(30));
        assertThat(LeaseCodec.decode(null, value)).isEmpty();
        assertThat(LeaseCodec.decode(key("no-space"), value)).isEmpty();
        assertThat(LeaseCodec.decode(key("bad room e1.s1"), value)).isEmpty();
        assertThat(LeaseCodec.decode(key("chat:lobby other-client"), value)).isEmpty();
        assertThat(LeaseCodec.decode(key("chat:lobby e1.s1"), key("not json"))).isEmpty();
        assertThat(LeaseCodec.decode(key("chat:lobby e1.s1"), key("{\"client\":\"e1.s1\"}"))).isEmpty();
        assertThat(LeaseCodec.decode(key("chat:lobby e1.s1"), new byte[] {(byte) 0xff, 0})).isEmpty();
        assertThat(LeaseCodec.decode(key("chat:lobby e1.s1"), LeaseCodec.value(ROOM, m, PresenceConfig.MAX_TTL))).isPresent();
        assertThat(LeaseCodec.decode(key("chat:lobby e1.s1"), LeaseCodec.value(ROOM, m, PresenceConfig.MAX_TTL.plusMillis(1))))
                .as("a lease no edge writes: a member that would never expire").isEmpty();
        assertThat(LeaseCodec.decode(key("chat:lobby e1.s1"), key("{\"client\":\"e1.s1\",\"ttlMs\":\"30000\"}"))).isEmpty();
    }

    @Test
    void shouldAcceptOrdinaryNamesAndTrimThem() {
        assertThat(DisplayName.validate("  Ann Lee ", 64)).isEqualTo("Ann Lee");
        assertThat(DisplayName.validate("Zoë 🙂", 64)).isEqualTo("Zoë 🙂");
        assertThat(DisplayName.validate("\u00A0Ann\u00A0Lee\u2007", 64)).as("no-break spaces trimmed too, kept inside").isEqualTo("Ann\u00A0Lee");
        assertThat(DisplayName.validate("Ann \u2764\uFE0F", 64)).as("a variation selector after an emoji").isEqualTo("Ann \u2764\uFE0F");
    }

    @Test
    void shouldRefuseEmptyOversizedAndInvisibleNames() {
        assertThatThrownBy(() -> DisplayName.validate("   ", 64)).hasMessageContaining("empty");
        assertThatThrownBy(() -> DisplayName.validate("\u00A0\u00A0", 64)).hasMessageContaining("empty");
        assertThatThrownBy(() -> DisplayName.validate("x".repeat(65), 64)).hasMessageContaining("longer than 64");
        assertThatThrownBy(() -> DisplayName.validate("Ann\nAdmin", 64)).hasMessageContaining("control");
        assertThatThrownBy(() -> DisplayName.validate("Ann\u202Enimda", 64)).hasMessageContaining("control");
        assertThatThrownBy(() -> DisplayName.validate("A\u200Bnn", 64)).hasMessageContaining("control");
        for (String invisible : List.of("A\uFE0FB", "\uFE0F", "\u3164", "Ann\u3164", "A\u034Fnn", "\uFFA0")) {
            assertThatThrownBy(() -> DisplayName.validate(invisible, 64)).as(invisible).hasMessageContaining("invisible");
        }
    }
}
