package io.roomcast.edge.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.LongAdder;

/** Edge-wide counters of what sessions write: frames and bytes out, bytes buffered right now. */
public final class OutboundMetrics {
    private final Counter frames;
    private final Counter bytes;
    private final Counter failed;
    /** Touched by the live thread and every IO thread for each frame: an adder, not one contended atomic. */
    private final LongAdder buffered = new LongAdder();

    public OutboundMetrics(MeterRegistry meters) {
        this.frames = Counter.builder("roomcast.outbound.frames").description("frames written to clients").register(meters);
        this.bytes = Counter.builder("roomcast.outbound.bytes").baseUnit("bytes").description("bytes written to clients").register(meters);
        this.failed = Counter.builder("roomcast.outbound.failed").description("frames that could not be written (connection gone)").register(meters);
        Gauge.builder("roomcast.outbound.buffered.bytes", buffered, LongAdder::sum).baseUnit("bytes")
                .description("bytes queued for clients and not yet taken by their sockets, all connections").register(meters);
    }

    void charged(int size) {
        buffered.add(size);
    }

    /** {@code messages} WebSocket messages of {@code size} charged bytes left (or failed) together. */
    void released(int size, int messages, boolean written) {
        buffered.add(-size);
        if (written) {
            frames.increment(messages);
            bytes.increment(size);
        } else {
            failed.increment(messages);
        }
    }
}
