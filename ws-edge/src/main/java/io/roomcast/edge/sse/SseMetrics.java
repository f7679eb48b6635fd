package io.roomcast.edge.sse;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Collection;
import java.util.concurrent.atomic.LongAdder;

/** Edge-wide figures of the HTTP streaming transports (SSE and the OpenAI endpoint). Thread-safe. */
public final class SseMetrics {
    private final Counter events;
    private final Counter failed;
    private final LongAdder buffered = new LongAdder();
    private final MeterRegistry meters;

    public SseMetrics(MeterRegistry meters, Collection<?> openStreams) {
        this.meters = meters;
        this.events = Counter.builder("roomcast.sse.events").description("SSE events written to clients").register(meters);
        this.failed = Counter.builder("roomcast.sse.failed").description("SSE events that could not be written (client gone)").register(meters);
        Gauge.builder("roomcast.sse.buffered.bytes", buffered, LongAdder::sum).baseUnit("bytes")
                .description("SSE bytes handed to Undertow and not yet written, all streams (approximate)").register(meters);
        Gauge.builder("roomcast.sse.streams", openStreams, Collection::size).description("open SSE streams").register(meters);
    }

    void charged(int size) {
        buffered.add(size);
    }

    void released(int size, boolean written) {
        buffered.add(-size);
        (written ? events : failed).increment();
    }

    /** A stream ended by the edge, by reason (stalled, token_expired, drain, notice). */
    void closed(String reason) {
        Counter.builder("roomcast.sse.closed").tag("reason", reason).register(meters).increment();
    }

    /** A request refused before its stream started, by error code. */
    public void refused(String code) {
        Counter.builder("roomcast.sse.refused").tag("code", code).register(meters).increment();
    }
}
