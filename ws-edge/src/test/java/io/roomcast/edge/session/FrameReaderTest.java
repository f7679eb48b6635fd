package io.roomcast.edge.session;

import io.roomcast.edge.protocol.CloseCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The frame reader against a table of client byte streams (each fed whole, byte by byte and in
 * random cuts, which must read the same), and what it reports.
 */
class FrameReaderTest {
    private static final int LIMIT = 64;
    private static final int FIN = 0x80;

    static Stream<Arguments> streams() {
        return Stream.of(
                row("a text frame", frame(FIN | 1, "hello"), "text hello"),
                row("an empty text frame", frame(FIN | 1, ""), "text "),
                row("two frames in one read", join(frame(FIN | 1, "a"), frame(FIN | 1, "b")), "text a", "text b"),
                row("non-ASCII text", frame(FIN | 1, "héllo €"), "text héllo €"),
                row("a fragmented message", join(frame(1, "he"), frame(0, "ll"), frame(FIN, "o")), "text hello"),
                row("a ping between fragments", join(frame(1, "he"), frame(FIN | 9, "p"), frame(FIN, "llo")), "ping p", "text hello"),
                row("a pong", frame(FIN | 0xA, "x"), "pong"),
                row("a ping with 125 bytes", frame(FIN | 9, "p".repeat(125)), "ping " + "p".repeat(125)),
                row("a close with code and reason", frame(FIN | 8, close(1000, "bye")), "close 1000 bye"),
                row("a close with no code", frame(FIN | 8, new byte[0]), "close -1 "),
                row("a close with an application code", frame(FIN | 8, close(4321, "")), "close 4321 "),
                row("a close with a code IANA registered after RFC 6455", frame(FIN | 8, close(1013, "")), "close 1013 "),
                row("nothing after a close", join(frame(FIN | 8, close(1001, "")), frame(FIN | 1, "late")), "close 1001 "),
                row("a 16-bit length", frame(FIN | 1, "x".repeat(LIMIT)), "text " + "x".repeat(LIMIT)),
                row("a message at the limit in fragments", join(frame(1, "x".repeat(LIMIT / 2)), frame(FIN, "x".repeat(LIMIT / 2))), "text " + "x".repeat(LIMIT)),
                row("a message above the limit", frame(FIN | 1, "x".repeat(LIMIT + 1)), "failed 1009"),
                row("fragments above the limit", join(frame(1, "x".repeat(LIMIT)), frame(FIN, "x")), "failed 1009"),
                row("a length of 2^63 and more", header(FIN | 1, 127, new byte[]{(byte) 0x80, 0, 0, 0, 0, 0, 0, 1}), "failed 1002"),
                row("a 64-bit length above the limit", header(FIN | 1, 127, new byte[]{0, 0, 0, 1, 0, 0, 0, 0}), "failed 1009"),
                row("a binary frame", frame(FIN | 2, "bin"), "failed 1003"),
                row("reserved bits", frame(FIN | 0x40 | 1, "x"), "failed 1002"),
                row("an unknown data opcode", frame(FIN | 3, "x"), "failed 1002"),
                row("an unknown control opcode", frame(FIN | 0xB, "x"), "failed 1002"),
                row("an unmasked frame", unmasked(FIN | 1, "x"), "failed 1002"),
                row("a fragmented ping", frame(9, "p"), "failed 1002"),
                row("a ping above 125 bytes", frame(FIN | 9, "p".repeat(126)), "failed 1002"),
                row("a continuation with no message", frame(FIN, "x"), "failed 1002"),
                row("a text frame inside a fragmented message", join(frame(1, "a"), frame(FIN | 1, "b")), "failed 1002"),
                row("text that is not UTF-8", frame(FIN | 1, new byte[]{'{', (byte) 0xc3, 0x28, '}'}), "failed 1007"),
                row("a character cut between fragments is fine", join(frame(1, new byte[]{'a', (byte) 0xc3}), frame(FIN, new byte[]{(byte) 0xa9})), "text aé"),
                row("a close with a one-byte payload", frame(FIN | 8, new byte[]{3}), "failed 1002"),
                row("a close with a reserved code", frame(FIN | 8, close(1005, "")), "failed 1002"),
                row("a close with code 999", frame(FIN | 8, close(999, "")), "failed 1002"),
                row("a close with the unassigned code 1015", frame(FIN | 8, close(1015, "")), "failed 1002"),
                row("a close with code 5000", frame(FIN | 8, close(5000, "")), "failed 1002"),
                row("a close reason that is not UTF-8", frame(FIN | 8, join(close(1000, ""), new byte[]{(byte) 0xff})), "failed 1007"),
                row("nothing after a violation", join(frame(FIN | 2, "b"), frame(FIN | 1, "late")), "failed 1003"),
                row("frames before a violation still count", join(frame(FIN | 1, "ok"), frame(FIN | 2, "b")), "text ok", "failed 1003"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void shouldReportWhatTheFramesSay(String name, byte[] stream, List<String> expected) {
        assertThat(readWhole(stream)).isEqualTo(expected);
        assertThat(readInCuts(stream, stream.length == 0 ? new int[0] : everyByte(stream.length))).as("byte by byte").isEqualTo(expected);
        Random random = new Random(name.hashCode());
        for (int round = 0; round < 20; round++) {
            assertThat(readInCuts(stream, randomCuts(stream.length, random))).as("random cuts").isEqualTo(expected);
        }
    }

    @Test
    void shouldKeepNothingBetweenWholeFrames() throws Exception {
        FrameReader reader = new FrameReader(LIMIT);
        Recorder out = new Recorder();
        reader.read(ByteBuffer.wrap(frame(FIN | 1, "a")), out);
        assertThat(fieldsHeld(reader)).isZero();
        reader.read(ByteBuffer.wrap(frame(FIN | 1, "abc"), 0, 4), out);
        assertThat(fieldsHeld(reader)).isOne();
    }

    @Test
    void shouldFinishAfterACloseOrAViolation() {
        FrameReader reader = new FrameReader(LIMIT);
        Recorder out = new Recorder();
        reader.read(ByteBuffer.wrap(frame(FIN | 1, "a")), out);
        assertThat(reader.finished()).isFalse();
        reader.read(ByteBuffer.wrap(frame(FIN | 2, "a")), out);
        assertThat(reader.finished()).isTrue();
        ByteBuffer more = ByteBuffer.wrap(frame(FIN | 1, "b"));
        reader.read(more, out);
        assertThat(more.hasRemaining()).isFalse();
        assertThat(out.events).containsExactly("text a", "failed 1003");
    }

    /** Garbage (random bytes, and valid frames with random bytes flipped) never throws, and nothing is reported after the end. */
    @Test
    void shouldTurnGarbageIntoACloseCodeAndNeverThrow() {
        Random random = new Random(7);
        for (int round = 0; round < 20_000; round++) {
            byte[] stream;
            if (round % 2 == 0) {
                stream = new byte[random.nextInt(300)];
                random.nextBytes(stream);
            } else {
                stream = join(frame(FIN | 1, "{\"op\":\"ping\"}"), frame(1, "ab"), frame(FIN | 9, "p"), frame(FIN, "cd"), frame(FIN | 8, close(1000, "")));
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    stream[random.nextInt(stream.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            List<String> events = readInCuts(stream, randomCuts(stream.length, random));
            for (int i = 0; i < events.size() - 1; i++) {
                assertThat(events.get(i)).as("only the last event may end the reading").doesNotStartWith("failed").doesNotStartWith("close");
            }
            events.stream().filter(e -> e.startsWith("failed")).forEach(e ->
                    assertThat(e).isIn("failed 1002", "failed 1003", "failed 1007", "failed 1009"));
        }
    }

    private static int fieldsHeld(FrameReader reader) throws ReflectiveOperationException {
        int held = 0;
        for (String name : new String[]{"partial", "message"}) {
            var field = FrameReader.class.getDeclaredField(name);
            field.setAccessible(true);
            held += field.get(reader) == null ? 0 : 1;
        }
        return held;
    }

    private static List<String> readWhole(byte[] stream) {
        Recorder out = new Recorder();
        new FrameReader(LIMIT).read(ByteBuffer.wrap(stream), out);
        return out.events;
    }

    private static List<String> readInCuts(byte[] stream, int[] cuts) {
        Recorder out = new Recorder();
        FrameReader reader = new FrameReader(LIMIT);
        int from = 0;
        for (int cut : cuts) {
            ByteBuffer part = ByteBuffer.allocateDirect(cut - from).put(stream, from, cut - from).flip();
            reader.read(part, out);
            assertThat(part.hasRemaining()).isFalse();
            from = cut;
        }
        return out.events;
    }

    private static int[] everyByte(int length) {
        int[] cuts = new int[length];
        for (int i = 0; i < length; i++) {
            cuts[i] = i + 1;
        }
        return cuts;
    }

    private static int[] randomCuts(int length, Random random) {
        List<Integer> cuts = new ArrayList<>();
        int at = 0;
        while (at < length) {
            at = Math.min(length, at + 1 + random.nextInt(8));
            cuts.add(at);
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Arguments row(String name, byte[] stream, String... expected) {
        return Arguments.of(name, stream, List.of(expected));
    }

    static byte[] frame(int b0, String payload) {
        return frame(b0, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** A masked client frame with the shortest length form. */
    static byte[] frame(int b0, byte[] payload) {
        byte[] mask = {0x37, (byte) 0xfa, 0x21, 0x3d};
        int n = payload.length;
        byte[] length = n < 126 ? new byte[0] : n <= 0xFFFF ? new byte[]{(byte) (n >> 8), (byte) n} : ByteBuffer.allocate(8).putLong(n).array();
        int length7 = n < 126 ? n : n <= 0xFFFF ? 126 : 127;
        byte[] masked = new byte[n];
        for (int i = 0; i < n; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        return join(new byte[]{(byte) b0, (byte) (0x80 | length7)}, length, mask, masked);
    }

    /** A frame header with an explicit length form and a mask, and no payload. */
    private static byte[] header(int b0, int length7, byte[] length) {
        return join(new byte[]{(byte) b0, (byte) (0x80 | length7)}, length, new byte[]{1, 2, 3, 4});
    }

    private static byte[] unmasked(int b0, String payload) {
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        return join(new byte[]{(byte) b0, (byte) p.length}, p);
    }

    private static byte[] close(int code, String reason) {
        return join(new byte[]{(byte) (code >> 8), (byte) code}, reason.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] join(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static final class Recorder implements FrameReader.Frames {
        final List<String> events = new ArrayList<>();

        @Override
        public void text(String message) {
            events.add("text " + message);
        }

        @Override
        public void ping(ByteBuffer payload) {
            events.add("ping " + StandardCharsets.UTF_8.decode(payload));
        }

        @Override
        public void pong() {
            events.add("pong");
        }

        @Override
        public void close(int code, String reason) {
            events.add("close " + code + " " + reason);
        }

        @Override
        public void failed(CloseCode code, String why) {
            events.add("failed " + code.code());
        }
    }
}
