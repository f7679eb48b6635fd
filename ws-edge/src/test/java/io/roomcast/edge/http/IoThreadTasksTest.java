package io.roomcast.edge.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;

import java.io.Closeable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Against a real XNIO worker: work for a stopped IO thread closes the connection instead of throwing at the caller. */
class IoThreadTasksTest {
    private final AtomicInteger closes = new AtomicInteger();
    private final Closeable connection = closes::incrementAndGet;
    private XnioWorker worker;
    private XnioIoThread thread;

    @BeforeEach
    void start() throws Exception {
        worker = Xnio.getInstance().createWorker(OptionMap.create(Options.WORKER_IO_THREADS, 1));
        thread = worker.getIoThread(0);
    }

    @AfterEach
    void stop() {
        worker.shutdownNow();
    }

    @Test
    void shouldRunWorkOnALiveIoThreadAndLeaveTheConnectionOpen() throws Exception {
        CountDownLatch ran = new CountDownLatch(2);
        IoThreadTasks.execute(thread, ran::countDown, connection);
        XnioExecutor.Key key = IoThreadTasks.executeAfter(thread, ran::countDown, 1, TimeUnit.MILLISECONDS, connection);

        assertThat(key).isNotNull();
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(closes).hasValue(0);
    }

    @Test
    void shouldCloseTheConnectionWhenTheIoThreadHasStopped() throws Exception {
        worker.shutdown();
        assertThat(worker.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        AtomicInteger ran = new AtomicInteger();

        IoThreadTasks.execute(thread, ran::incrementAndGet, connection);
        XnioExecutor.Key key = IoThreadTasks.executeAfter(thread, ran::incrementAndGet, 1, TimeUnit.MILLISECONDS, connection);

        assertThat(key).isNull();
        assertThat(closes).hasValue(2);
        assertThat(ran).hasValue(0);
    }
}
