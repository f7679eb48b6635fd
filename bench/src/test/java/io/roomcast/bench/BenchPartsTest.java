package io.roomcast.bench;

import io.roomcast.bench.agent.AgentCommands;
import io.roomcast.bench.agent.Histograms;
import io.roomcast.bench.load.ClientMode;
import io.roomcast.bench.load.JsonScan;
import io.roomcast.bench.report.Metric;
import io.roomcast.bench.report.Repeats;
import io.roomcast.bench.report.Report;
import io.roomcast.bench.report.ReportTable;
import io.roomcast.bench.target.PacedPublisher;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchPartsTest {
    @Test
    void shouldStampPayloadsWithTheSendTimeAndPadThemToSize() {
        byte[] p = PacedPublisher.payload(7, 64);
        assertThat(p).hasSize(64);
        int at = JsonScan.indexOf(p, 0, p.length, JsonScan.STAMP);
        assertThat(JsonScan.number(p, at + JsonScan.STAMP.length, p.length)).isPositive();
        assertThat(PacedPublisher.payload(1, 1).length).as("never shorter than the stamp").isGreaterThan(20);
    }

    @Test
    void shouldFindOffsetAndStampInAnEventFrameButNotConfuseTsWithT() {
        byte[] f = "{\"op\":\"event\",\"room\":\"r\",\"offset\":42,\"type\":\"message\",\"ts\":99,\"data\":{\"t\":12345}}"
                .getBytes(StandardCharsets.US_ASCII);
        int o = JsonScan.indexOf(f, 0, f.length, JsonScan.OFFSET);
        int t = JsonScan.indexOf(f, 0, f.length, JsonScan.STAMP);
        assertThat(JsonScan.number(f, o + JsonScan.OFFSET.length, f.length)).isEqualTo(42);
        assertThat(JsonScan.number(f, t + JsonScan.STAMP.length, f.length)).isEqualTo(12345);
        assertThat(JsonScan.count(f, 0, f.length, JsonScan.EVENT_OP)).isEqualTo(1);
    }

    @Test
    void shouldReadGarbageNumbersAsTheDigitsThereAre() {
        byte[] g = "\"t\":-x".getBytes(StandardCharsets.US_ASCII);
        assertThat(JsonScan.number(g, 4, g.length)).isZero();
        assertThat(JsonScan.indexOf(g, 0, g.length, JsonScan.OFFSET)).isNegative();
    }

    @Test
    void shouldSpreadSlowAndStalledClientsByTheirShares() {
        long stalled = IntStream.range(0, 10_000).filter(i -> AgentCommands.modeOf(i, 0.1, 0.2) == ClientMode.STALLED).count();
        long slow = IntStream.range(0, 10_000).filter(i -> AgentCommands.modeOf(i, 0.1, 0.2) == ClientMode.SLOW).count();
        assertThat(stalled).isBetween(950L, 1050L);
        assertThat(slow).isBetween(1950L, 2050L);
        assertThat(AgentCommands.modeOf(5, 0, 0)).isEqualTo(ClientMode.NORMAL);
    }

    @Test
    void shouldCarryHistogramsAcrossProcessesAsText() {
        Histogram h = new Histogram(3);
        h.recordValue(1500);
        h.recordValue(250_000);
        Histogram back = Histograms.decode(Histograms.encode(h));
        assertThat(back.getTotalCount()).isEqualTo(2);
        assertThat(back.getMaxValue()).isEqualTo(h.getMaxValue());
        assertThatThrownBy(() -> Histograms.decode("bm90IGEgaGlzdG9ncmFt")).isInstanceOf(RuntimeException.class);
    }

    @Test
    void shouldShowPeersAsRatiosToRoomcastAndTextWhereThereIsNoNumber() {
        Report r = new Report("fanout").metrics(Metric.higher("dps", "deliveries", "/s"), Metric.lower("kafka", "Kafka CPU", "s"));
        r.put("roomcast", "dps", 1000);
        r.put("roomcast", "kafka", 2);
        r.put("ws", "dps", 500);
        r.text("ws", "kafka", "n/a (no Kafka)");
        String table = ReportTable.render(r);
        assertThat(table).contains("500 (0.50x)").contains("n/a (no Kafka)").contains("1,000");
    }

    @Test
    void shouldTakeTheMedianAndRangeOfRepeatedRunsAndKeepTextWhereNoRunHasANumber() {
        Report r = new Report("fanout").metrics(Metric.higher("dps", "deliveries", "/s"), Metric.lower("kafka", "Kafka CPU", "s"));
        for (double dps : new double[]{900, 1200, 1000}) {
            r.put("roomcast", "dps", dps);
            r.put("roomcast", "kafka", 2);
            r.endRun("roomcast");
            r.put("ws", "dps", dps / 2);
            r.text("ws", "kafka", "n/a (no Kafka)");
            r.endRun("ws");
        }
        r.summarize();
        assertThat(r.values().get("roomcast")).containsEntry("dps", 1000.0).containsEntry("kafka", 2.0);
        assertThat(r.values().get("ws")).containsEntry("dps", 500.0).containsEntry("kafka", "n/a (no Kafka)");
        assertThat(r.ranges().get("roomcast").get("dps")).containsExactly(900.0, 1200.0);
        assertThat(r.runs().get("ws")).hasSize(3);
        assertThat(ReportTable.render(r)).contains("median of 3 runs").contains("1,000 [900..1,200]").contains("500 [450..600] (0.50x)");
    }

    @Test
    void shouldSayWhichMetricsSomeRunsHadNoNumberFor() {
        Repeats.Summary s = Repeats.of(List.of(Map.of("p99", 3.0), Map.of("p99", "no samples"), Map.of("p99", 5.0, "x", "failed")));
        assertThat(s.medians()).containsEntry("p99", 4.0).containsEntry("x", "failed");
        assertThat(s.gaps()).containsExactly("p99: 2 of 3 runs (no samples)");
        assertThat(Repeats.median(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
        assertThatThrownBy(() -> Repeats.median(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
