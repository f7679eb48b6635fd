package io.roomcast.edge.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class FrameBatchTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ByteBuffer frame(String json) {
        return ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
    }

    private static String text(FrameBatch b) {
        return StandardCharsets.UTF_8.decode(b.message().duplicate()).toString();
    }

    @Test
    void shouldSendALonelyFrameAsItIsAndJoinSeveralIntoAnArray() throws Exception {
        assertThat(FrameBatch.of(List.of(), 100)).isEmpty();
        List<FrameBatch> one = FrameBatch.of(List.of(frame("{\"a\":1}")), 100);
        assertThat(one).hasSize(1);
        assertThat(text(one.get(0))).isEqualTo("{\"a\":1}");
        List<FrameBatch> three = FrameBatch.of(List.of(frame("{\"a\":1}"), frame("{\"b\":2}"), frame("{\"c\":3}")), 100);
        assertThat(three).hasSize(1);
        assertThat(three.get(0).count()).isEqualTo(3);
        assertThat(JSON.readTree(text(three.get(0))).size()).isEqualTo(3);
        assertThat(text(three.get(0))).isEqualTo("[{\"a\":1},{\"b\":2},{\"c\":3}]");
    }

    @Test
    void shouldKeepEveryMessageWithinTheLimitAndTheFramesInOrder() throws Exception {
        // table: frame sizes and limit -> the counts per message
        record Case(int frames, int frameBytes, int limit, List<Integer> counts) {
        }
        List<Case> cases = List.of(
                new Case(5, 20, 20, List.of(1, 1, 1, 1, 1)),   // no two fit: each alone
                new Case(5, 20, 43, List.of(2, 2, 1)),         // [x,y] is 43 bytes exactly
                new Case(5, 20, 42, List.of(1, 1, 1, 1, 1)),
                new Case(5, 20, 1000, List.of(5)),
                new Case(3, 50, 20, List.of(1, 1, 1)));        // frames larger than the limit travel alone
        for (Case c : cases) {
            List<ByteBuffer> frames = new ArrayList<>();
            for (int i = 0; i < c.frames; i++) {
                String body = "{\"i\":" + i + ",\"p\":\"";
                frames.add(frame(body + "x".repeat(c.frameBytes - body.length() - 2) + "\"}"));
            }
            List<FrameBatch> batches = FrameBatch.of(frames, c.limit);
            assertThat(batches.stream().map(FrameBatch::count).collect(Collectors.toList())).as(c.toString()).isEqualTo(c.counts);
            int next = 0;
            for (FrameBatch b : batches) {
                if (b.count() > 1) {
                    assertThat(b.message().remaining()).isLessThanOrEqualTo(c.limit);
                }
                var node = JSON.readTree(text(b));
                for (var f : node.isArray() ? node : List.of(node)) {
                    assertThat(f.path("i").asInt()).isEqualTo(next++);
                }
            }
            assertThat(next).isEqualTo(c.frames);
            assertThat(frames).allMatch(f -> f.position() == 0); // the frames themselves are untouched
        }
    }
}
