package io.roomcast.edge.snapshot;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A stranger's snapshot whose epoch no edge could name is no snapshot (the subscription falls back), not a failed lookup. */
class RoomSnapshotTest {

    private static byte[] value(String epoch) {
        return ("{\"offset\":7,\"epoch\":" + epoch + ",\"data\":{\"n\":1}}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldTakeASnapshotWithAnEpochOrWithout() {
        assertThat(RoomSnapshot.decode(value("\"abc.4\""), 5)).hasValueSatisfying(s -> {
            assertThat(s.offset()).isEqualTo(7);
            assertThat(s.epoch().value()).isEqualTo("abc.4");
            assertThat(s.timestamp()).isEqualTo(5);
        });
        assertThat(RoomSnapshot.decode(value("null"), 5)).hasValueSatisfying(s -> assertThat(s.epoch()).isNull());
    }

    @Test
    void shouldTakeAnEpochNoEdgeCouldNameForNoSnapshot() {
        assertThat(RoomSnapshot.decode(value("\"\""), 5)).isEmpty();
        assertThat(RoomSnapshot.decode(value("\"" + "e".repeat(65) + "\""), 5)).isEmpty();
    }
}
