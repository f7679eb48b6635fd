package io.roomcast.edge.session;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class LeftoverTest {
    @Test
    void shouldTakeTheUnwrittenRestAndWhatTheCorkStoodFor() {
        Cork cork = new Cork();
        cork.bytes.put("abcdef".getBytes(StandardCharsets.US_ASCII));
        cork.tally.add(4, 1, 0);
        cork.tally.add(2, 0, 1);
        cork.bytes.flip().position(2); // the socket took "ab"

        Leftover leftover = new Leftover(cork.bytes, cork.tally);
        cork.reset();

        assertThat(text(leftover.bytes)).isEqualTo("cdef");
        assertThat(leftover.tally).extracting(t -> t.size, t -> t.count, t -> t.controls, t -> t.messages).containsExactly(6, 1, 1, 2);
        assertThat(cork.tally).extracting(t -> t.size, t -> t.count, t -> t.controls, t -> t.messages).containsExactly(0, 0, 0, 0);
        assertThat(cork.bytes.position()).isZero(); // the cork is reused by the thread's next connection
    }

    @Test
    void shouldAppendMessagesBehindWhatIsLeftInOrder() {
        Tally none = new Tally();
        Leftover leftover = new Leftover(ByteBuffer.wrap("cd".getBytes(StandardCharsets.US_ASCII)), none);
        leftover.bytes.position(1); // the socket took "c" since

        leftover.append(3, b -> b.put("xyz".getBytes(StandardCharsets.US_ASCII)));
        leftover.append(1, b -> b.put((byte) '!'));

        assertThat(text(leftover.bytes)).isEqualTo("dxyz!");
        assertThat(leftover.bytes.capacity()).as("grown to what is unwritten, not kept").isEqualTo(5);
    }

    private static String text(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return new String(out, StandardCharsets.US_ASCII);
    }
}
