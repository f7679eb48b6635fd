package io.roomcast.edge.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Edge-wide counters of what sessions write: frames and bytes out. The bytes buffered right now are
 * not counted here: {@code roomcast.outbound.buffered.bytes} sums the connections' own counts when
 * it is read (see {@code EdgeServer}), so queueing a frame adds nothing shared to the live thread's work.
 */
public final class OutboundMetrics {
    private final Counter frames;
    private final Counter bytes;
    private final Counter failed;

    public OutboundMetrics(MeterRegistry meters) {
        this.frames = Counter.builder("roomcast.outbound.frames").description("frames written to clients").register(meters);
        this.bytes = Counter.builder("roomcast.outbound.bytes").baseUnit("bytes").description("bytes written to clients").register(meters);
        this.failed = Counter.builder("roomcast.outbound.failed").description("frames that could not be written (connection gone)").register(meters);
    }

    /** {@code messages} WebSocket messages of {@code size} bytes left (or failed) together. */
    void released(int size, int messages, boolean written) {
        if (written) {
            frames.increment(messages);
            bytes.increment(size);
        } else {
            failed.increment(messages);
        }
    }
}
