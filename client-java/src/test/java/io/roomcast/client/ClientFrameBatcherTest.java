package io.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientFrameBatcherTest {

    @Test
    void shouldSendASingleFrameAsIs() {
        ArrayDeque<String> queue = new ArrayDeque<>(List.of("{\"a\":1}"));
        assertThat(FrameBatcher.next(queue, 1024)).isEqualTo("{\"a\":1}");
        assertThat(queue).isEmpty();
    }

    @Test
    void shouldJoinQueuedFramesIntoAJsonArray() {
        ArrayDeque<String> queue = new ArrayDeque<>(List.of("{\"a\":1}", "{\"b\":2}", "{\"c\":3}"));
        assertThat(FrameBatcher.next(queue, 1024)).isEqualTo("[{\"a\":1},{\"b\":2},{\"c\":3}]");
        assertThat(queue).isEmpty();
    }

    @Test
    void shouldStopBeforeTheSizeLimit() {
        String f = "{\"x\":\"" + "y".repeat(40) + "\"}"; // 48 bytes
        ArrayDeque<String> queue = new ArrayDeque<>(List.of(f, f, f));
        String batch = FrameBatcher.next(queue, 100);
        assertThat(batch).isEqualTo("[" + f + "," + f + "]");
        assertThat(batch.length()).isLessThanOrEqualTo(100);
        assertThat(FrameBatcher.next(queue, 100)).isEqualTo(f);
    }

    @Test
    void shouldSendAFrameThatAloneFillsTheLimitAlone() {
        String big = "{\"x\":\"" + "y".repeat(200) + "\"}";
        ArrayDeque<String> queue = new ArrayDeque<>(List.of(big, "{}"));
        assertThat(FrameBatcher.next(queue, 100)).isEqualTo(big);
        assertThat(queue).containsExactly("{}");
    }

    @Test
    void shouldCountUtf8Bytes() {
        assertThat(FrameBatcher.utf8Length("abc")).isEqualTo(3);
        assertThat(FrameBatcher.utf8Length("é€😀")).isEqualTo(2 + 3 + 4);
    }

    @Test
    void shouldPutAtMostTheCataloguesMaxBatchIntoOneMessage() {
        ArrayDeque<String> queue = new ArrayDeque<>();
        for (int i = 0; i < 250; i++) {
            queue.add("{\"op\":\"subscribe\",\"id\":" + i + ",\"room\":\"chat:r" + i + "\"}");
        }
        int[] sizes = new int[3];
        for (int i = 0; i < 3; i++) {
            String message = FrameBatcher.next(queue, 64 * 1024);
            sizes[i] = message.split("\"op\"", -1).length - 1;
        }
        assertThat(sizes).containsExactly(FrameBatcher.MAX_BATCH, FrameBatcher.MAX_BATCH, 50);
        assertThat(queue).isEmpty();
    }
}
