package io.roomcast.shipper;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ShipperMultilineTest {
    private final List<RawRecord> records = new ArrayList<>();

    private List<RawRecord> assemble(MultilineRule rule, String text, boolean flush) {
        LineSplitter splitter = new LineSplitter(1 << 20, 0);
        RecordAssembler assembler = new RecordAssembler(rule);
        long[] lineNo = {0};
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        splitter.feed(bytes, 0, bytes.length, line -> assembler.accept(line, ++lineNo[0], 0, first -> 1 << 20, records::add));
        if (flush) {
            assembler.flush(records::add);
        }
        return records;
    }

    @Test
    void shouldJoinAJavaStackTraceWithItsCauses() {
        String log = """
                2025-01-07 12:00:00,001 INFO  [main] c.e.Api - starting
                2025-01-07 12:00:01,120 ERROR [main] c.e.Api - request failed
                java.lang.IllegalStateException: boom
                \tat com.example.Api.handle(Api.java:42)
                \tat com.example.Api.run(Api.java:10)
                Caused by: java.io.IOException: disk full
                \tat com.example.Disk.write(Disk.java:7)
                \t... 2 more
                \tSuppressed: java.lang.RuntimeException: cleanup
                2025-01-07 12:00:02,000 INFO  [main] c.e.Api - recovered
                """;

        List<RawRecord> out = assemble(MultilineRule.java(), log, true);

        assertThat(out).hasSize(3);
        assertThat(out.get(1).text()).startsWith("2025-01-07 12:00:01,120 ERROR").contains("Caused by: java.io.IOException")
                .endsWith("\tSuppressed: java.lang.RuntimeException: cleanup");
        assertThat(out.get(1).firstLineNo()).isEqualTo(2);
        assertThat(out.get(1).lastLineNo()).isEqualTo(9);
        assertThat(out.get(1).end()).isEqualTo(out.get(2).start());
    }

    @Test
    void shouldJoinAPythonTraceback() {
        String log = """
                ERROR:root:failed
                Traceback (most recent call last):
                  File "x.py", line 1, in <module>
                ValueError: bad
                INFO:root:next
                """;

        List<RawRecord> out = assemble(MultilineRule.java(), log, true);

        assertThat(out).extracting(RawRecord::lastLineNo).containsExactly(4L, 5L);
    }

    @Test
    void shouldHoldTheLastRecordUntilFlushedBecauseMoreLinesMayFollow() {
        List<RawRecord> out = assemble(MultilineRule.java(), "first\nsecond\n", false);

        assertThat(out).extracting(RawRecord::text).containsExactly("first");
    }

    @Test
    void shouldStartRecordsAtAConfiguredPattern() {
        MultilineRule rule = MultilineRule.of("^\\d{4}-\\d{2}-\\d{2}", "start", 500);
        String log = "2025-01-01 a\nnot indented but continued\n{ \"json\": 1 }\n2025-01-02 b\n";

        List<RawRecord> out = assemble(rule, log, true);

        assertThat(out).extracting(RawRecord::text)
                .containsExactly("2025-01-01 a\nnot indented but continued\n{ \"json\": 1 }", "2025-01-02 b");
    }

    @Test
    void shouldShipEveryLineAloneWithoutARule() {
        List<RawRecord> out = assemble(MultilineRule.none(), "a\n\tb\n", false);

        assertThat(out).extracting(RawRecord::text).containsExactly("a", "\tb");
    }

    @Test
    void shouldSplitARecordAtTheLineLimitWithoutDroppingLines() {
        MultilineRule rule = MultilineRule.of("^\\s", "continuation", 3);
        List<RawRecord> out = assemble(rule, "head\n 1\n 2\n 3\n 4\n", true);

        assertThat(out).extracting(RawRecord::text).containsExactly("head\n 1\n 2", " 3\n 4");
    }

    @Test
    void shouldSkipBlankLines() {
        List<RawRecord> out = assemble(MultilineRule.none(), "a\n\n   \nb\n", false);

        assertThat(out).extracting(RawRecord::text).containsExactly("a", "b");
        assertThat(out.get(1).start()).isEqualTo(7);
    }

    @Test
    void shouldRejectAnInvalidPatternWithAReadableMessage() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MultilineRule.of("([", "start", 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid pattern");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MultilineRule.of("x", "sideways", 10))
                .hasMessageContaining("continuation, start or none");
    }
}
