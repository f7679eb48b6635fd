package io.roomcast.edge.session;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnio.ChannelPipe;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flood bound of a connection's unread answers, on a real XNIO pipe whose other end reads
 * nothing: it counts the answers' bytes (a member list, a snapshot), not only their number.
 */
class OutboundFloodTest {
    private XnioWorker worker;
    private ChannelPipe<StreamConnection, StreamConnection> pipe;
    private final AtomicInteger floods = new AtomicInteger();
    private Outbound outbound;

    @BeforeEach
    void open() throws Exception {
        worker = Xnio.getInstance().createWorker(OptionMap.create(Options.WORKER_IO_THREADS, 1));
        pipe = worker.createFullDuplexPipeConnection();
        StreamConnection edgeSide = pipe.getLeftSide();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        outbound = new Outbound(edgeSide, new IoFlusher.PerThread(meters).of(edgeSide.getIoThread()), 1_000, 64 * 1024,
                new OutboundMetrics(meters), floods::incrementAndGet);
    }

    @AfterEach
    void close() {
        IoUtils.safeClose(pipe.getLeftSide(), pipe.getRightSide());
        worker.shutdownNow();
    }

    @Test
    void shouldTakeManySmallAnswersBelowTheLimit() {
        for (int i = 0; i < Outbound.CONTROL_LIMIT - 1; i++) {
            outbound.force(ByteBuffer.wrap(("{\"op\":\"pong\",\"id\":" + i + "}").getBytes()));
        }
        assertThat(floods).hasValue(0);
    }

    @Test
    void shouldCountAFewLargeUnreadAnswersAsAFlood() {
        for (int i = 0; i < 5; i++) { // 4.5 MB of answers: a handful of large snapshots nobody reads
            outbound.force(ByteBuffer.wrap(new byte[900_000]));
        }
        assertThat(floods).as("told once").hasValue(1);
    }
}
