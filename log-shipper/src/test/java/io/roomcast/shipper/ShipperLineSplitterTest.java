package io.roomcast.shipper;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ShipperLineSplitterTest {
    private final List<Line> lines = new ArrayList<>();

    private void feed(LineSplitter splitter, byte[] bytes) {
        splitter.feed(bytes, 0, bytes.length, lines::add);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldSplitAtNewlinesKeepingExactPositions() {
        LineSplitter splitter = new LineSplitter(1024, 100);
        feed(splitter, utf8("one\r\ntwo\nthr"));
        feed(splitter, utf8("ee\n"));

        assertThat(lines).extracting(Line::text).containsExactly("one", "two", "three");
        assertThat(lines).extracting(Line::start).containsExactly(100L, 105L, 109L);
        assertThat(lines).extracting(Line::end).containsExactly(105L, 109L, 115L);
        assertThat(splitter.hasPartial()).isFalse();
    }

    @Test
    void shouldHoldAPartialLineUntilFlushed() {
        LineSplitter splitter = new LineSplitter(1024, 0);
        feed(splitter, utf8("complete\nparti"));
        assertThat(lines).hasSize(1);
        assertThat(splitter.hasPartial()).isTrue();

        splitter.flushPartial(lines::add);

        assertThat(lines.get(1)).isEqualTo(new Line("parti", 9, 14, 0, 0));
        assertThat(splitter.hasPartial()).isFalse();

        feed(splitter, utf8("al\nnext\n"));
        assertThat(lines.subList(2, 4)).containsExactly(new Line("al", 14, 17, 0, 0, true), new Line("next", 17, 22, 0, 0, false));
    }

    @Test
    void shouldCutAnOverlongLineAtTheLimitWithAMarkerWithoutBufferingTheRest() {
        LineSplitter splitter = new LineSplitter(1024, 0);
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        for (int i = 0; i < 160; i++) { // 10 MiB in one line
            feed(splitter, chunk);
        }
        feed(splitter, utf8("\nnext\n"));

        assertThat(lines).hasSize(2);
        Line cut = lines.get(0);
        assertThat(cut.text()).startsWith("xxxx").endsWith(" [roomcast: 10484736 bytes truncated]");
        assertThat(cut.truncatedBytes()).isEqualTo(10L * 1024 * 1024 - 1024);
        assertThat(cut.end()).isEqualTo(10L * 1024 * 1024 + 1);
        assertThat(lines.get(1)).isEqualTo(new Line("next", 10L * 1024 * 1024 + 1, 10L * 1024 * 1024 + 6, 0, 0));
    }

    @Test
    void shouldNotCutInsideAMultiByteCharacter() {
        LineSplitter splitter = new LineSplitter(16, 0);
        feed(splitter, utf8("aaaaaaaaaaaaaaa\u00e9\u00e9\n")); // the 16th byte is the first half of é

        assertThat(lines.get(0).text()).isEqualTo("aaaaaaaaaaaaaaa [roomcast: 4 bytes truncated]");
        assertThat(lines.get(0).malformed()).isZero();
    }

    @Test
    void shouldReplaceAndCountInvalidUtf8() {
        LineSplitter splitter = new LineSplitter(1024, 0);
        feed(splitter, new byte[]{'o', 'k', (byte) 0xC3, '(', (byte) 0xFF, (byte) 0xFE, 'z', '\n'});

        assertThat(lines.get(0).text()).isEqualTo("ok\uFFFD(\uFFFD\uFFFDz");
        assertThat(lines.get(0).malformed()).isEqualTo(3);
    }

    @Test
    void shouldPassBinaryGarbageThroughAsText() {
        LineSplitter splitter = new LineSplitter(1024, 0);
        byte[] garbage = new byte[4096];
        new java.util.Random(7).nextBytes(garbage);
        feed(splitter, garbage);
        splitter.flushPartial(lines::add);

        assertThat(lines).isNotEmpty();
        assertThat(lines.get(lines.size() - 1).end()).isEqualTo(4096);
        assertThat(lines).allSatisfy(l -> assertThat(l.text()).doesNotContain("\n"));
    }

    @Test
    void shouldStopAfterTheLineThatFillsTheWindowAndLeaveTheRestUnconsumed() {
        LineSplitter splitter = new LineSplitter(1024, 0);
        byte[] bytes = utf8("a\nb\nc\n");

        int consumed = splitter.feed(bytes, 0, bytes.length, lines::add, () -> lines.size() < 2);

        assertThat(consumed).isEqualTo(4);
        assertThat(splitter.position()).isEqualTo(4);
        assertThat(lines).extracting(Line::text).containsExactly("a", "b");
    }

    @Test
    void shouldContinueAtAResetPosition() {
        LineSplitter splitter = new LineSplitter(1024, 0);
        feed(splitter, utf8("abc"));
        splitter.reset(50);
        feed(splitter, utf8("def\n"));

        assertThat(lines).containsExactly(new Line("def", 50, 54, 0, 0));
    }
}
