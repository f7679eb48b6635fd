package io.roomcast.bench.scenario;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MeasuresTest {

    @Test
    void shouldSplitTheEdgesCpuPerDeliveryByThread() {
        Map<String, Double> seconds = Map.of(
                "XNIO-1 I/O", 2.5, "roomcast-live", 1.0, "C2 CompilerThre", 0.05, "C1 CompilerThre", 0.05,
                "GC Thread", 0.02, "roomcast-heartb", 0.08, "kafka-producer-", 0.01);
        Map<String, Double> micros = Measures.edgeThreadMicros(seconds, 250_000);
        assertThat(micros).containsOnlyKeys("edgeIoUs", "edgeLiveUs", "edgeJitUs", "edgeGcUs", "edgeOtherUs");
        assertThat(micros.get("edgeIoUs")).isCloseTo(10.0, within(1e-9));
        assertThat(micros.get("edgeLiveUs")).isCloseTo(4.0, within(1e-9));
        assertThat(micros.get("edgeJitUs")).isCloseTo(0.4, within(1e-9));
        assertThat(micros.get("edgeGcUs")).isCloseTo(0.08, within(1e-9));
        assertThat(micros.get("edgeOtherUs")).isCloseTo(0.36, within(1e-9));
    }

    @Test
    void shouldSayNothingForAPeerOrWithoutDeliveries() {
        assertThat(Measures.edgeThreadMicros(Map.of("bun", 2.7, "HeapHelper", 0.1), 300_000)).isEmpty();
        assertThat(Measures.edgeThreadMicros(Map.of("XNIO-1 I/O", 2.5), 0)).isEmpty();
        assertThat(Measures.edgeThreadMicros(Map.of(), 1_000)).isEmpty();
    }
}
