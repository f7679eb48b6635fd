package io.roomcast.snapshot;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Snapshot records come from anyone's producer: what is not a snapshot is none, never an exception. */
class SnapshotLayoutTest {

    @Test
    void shouldReadWhatItWrites() {
        SnapshotLayout written = new SnapshotLayout(41, "e.4", JsonNodeFactory.instance.objectNode().put("n", 1));
        assertThat(SnapshotLayout.decode(written.encode())).contains(written);
        assertThat(SnapshotLayout.decode("{\"offset\":-1,\"data\":null}".getBytes(StandardCharsets.UTF_8)))
                .hasValueSatisfying(s -> {
                    assertThat(s.offset()).isEqualTo(-1);
                    assertThat(s.epoch()).isNull();
                    assertThat(s.data().isNull()).isTrue();
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "null", "[]", "42", "\"text\"", "not json", "{", "{\"offset\":5}", "{\"data\":{}}",
            "{\"offset\":\"5\",\"data\":{}}", "{\"offset\":-2,\"data\":{}}", "{\"offset\":1.5,\"data\":{}}",
            "{\"offset\":99999999999999999999999,\"data\":{}}", "{\"offset\":9007199254740993,\"data\":{}}", "{\"offset\":true,\"data\":{}}", "{\"offset\":5,\"data\":{}",
            "{\"offset\":2,\"data\":1} xyz", "{\"offset\":2,\"data\":1} {}", "{\"offset\":2,\"data\":1}]",
            "{\"offset\":1,\"epoch\":7,\"data\":1}", "{\"offset\":1,\"epoch\":{},\"data\":1}", "\uFEFF{\"offset\":1,\"data\":1}",
            "{\"offset\":1,\"offset\":2,\"data\":1}", "{\"offset\":1,\"data\":{\"a\":1,\"a\":2}}",
    })
    void shouldTakeGarbageForNoSnapshot(String value) {
        assertThat(SnapshotLayout.decode(value.getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void shouldTakeBinaryAndAbsurdlyDeepValuesForNoSnapshot() {
        assertThat(SnapshotLayout.decode(null)).isEmpty();
        assertThat(SnapshotLayout.decode(new byte[]{(byte) 0xFF, (byte) 0xFE, 0, 1, (byte) 0xC3})).isEmpty();
        assertThat(SnapshotLayout.decode(("{\"offset\":1,\"data\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}")
                .getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    /** The protocol's 64 levels: the value (the snapshot frame holds data as deep as the value does) at most 64, data 63. */
    @Test
    void shouldTakeDataNestedUpToTheProtocolsDepthAndNoDeeper() {
        int dataDepth = SnapshotLayout.MAX_DEPTH - 1;
        assertThat(SnapshotLayout.decode(("{\"offset\":1,\"data\":" + "[".repeat(dataDepth) + "]".repeat(dataDepth) + "}")
                .getBytes(StandardCharsets.UTF_8))).isPresent();
        assertThat(SnapshotLayout.decode(("{\"offset\":1,\"data\":" + "[".repeat(dataDepth + 1) + "]".repeat(dataDepth + 1) + "}")
                .getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(SnapshotLayout.decode("{\"offset\":1,\"data\":1}\n".getBytes(StandardCharsets.UTF_8))).as("white space after it").isPresent();
        // A writer cannot make one that edges would skip.
        com.fasterxml.jackson.databind.node.ArrayNode deep = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        com.fasterxml.jackson.databind.node.ArrayNode inner = deep;
        for (int i = 1; i < dataDepth; i++) {
            inner = inner.addArray();
        }
        assertThat(new SnapshotLayout(1, null, deep).encode()).isNotEmpty();
        inner.addArray();
        com.fasterxml.jackson.databind.node.ArrayNode tooDeep = deep;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SnapshotLayout(1, null, tooDeep))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nested at most 63");
    }
}
