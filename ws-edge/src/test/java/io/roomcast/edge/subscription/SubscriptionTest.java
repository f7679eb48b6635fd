package io.roomcast.edge.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.edge.session.FrameSink;
import io.roomcast.event.RoomEvent;
import io.roomcast.history.HistoryChunk;
import io.roomcast.history.PartitionBounds;
import io.roomcast.live.Handover;
import io.roomcast.live.HandoverHook;
import io.roomcast.live.LiveDispatch;
import io.roomcast.live.LiveListener;
import io.roomcast.live.LivePositionLostException;
import io.roomcast.position.Epoch;
import io.roomcast.position.StartPoint;
import io.roomcast.room.BackpressurePolicy;
import io.roomcast.room.Namespace;
import io.roomcast.room.RoomName;
import io.roomcast.topic.RoomLocation;
import org.apache.kafka.common.TopicPartition;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The driver with fakes of the live tail, the log and the sink, on the test's thread (the worker
 * runs each step at once): what reaches the sink, in which order, and on which terms the owner is told.
 */
class SubscriptionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RoomName ROOM = RoomName.of("chat:x");
    private static final Epoch EPOCH = new Epoch("e1");
    private static final TopicPartition TP = new TopicPartition("t-chat", 0);
    private static final RoomLocation LOCATION = new RoomLocation(ROOM, new Namespace("chat", "t-chat", 1, Duration.ofDays(1), 100),
            TP, EPOCH);

    private final FakeTail tail = new FakeTail();
    private final FakeLog log = new FakeLog();
    private final Recorder events = new Recorder();
    private final AtomicInteger topicsForgotten = new AtomicInteger();
    private Subscription subscription;

    @AfterEach
    void ownerWasNeverToldUnderTheSubscriptionLock() {
        assertThat(events.underLock).as("SubscriptionEvents callbacks made under the subscription's lock").isEmpty();
    }

    private Subscription subscribe(StartPoint from, BackpressurePolicy policy, FakeSink sink) {
        HandoverMachine machine = new HandoverMachine(from, EPOCH, policy, 1000, 4, 2, 2);
        subscription = new Subscription(tail, log, new SharedReads(log, 0, new SimpleMeterRegistry()), Runnable::run, topicsForgotten::incrementAndGet, sink, LOCATION, null,
                new ReadPermits(1), events, machine);
        events.subscription = subscription;
        subscription.start();
        return subscription;
    }

    @Test
    void shouldHandOverFromTheLogToLiveWithoutGapOrDuplicate() {
        for (long o = 0; o < 10; o++) {
            tail.publish(ev(o));
        }
        tail.forgetBelow(8); // 0..7 must come from the log
        log.hold = true;
        FakeSink sink = new FakeSink(100);
        subscribe(new StartPoint.Earliest(), BackpressurePolicy.LOSSLESS, sink);

        tail.publish(ev(10)); // during the read: buffered
        tail.publish(ev(11));
        log.release();
        tail.publish(ev(12));

        assertThat(sink.ops()).containsExactly("subscribed", "event:0", "event:1", "event:2", "event:3", "event:4", "event:5",
                "event:6", "event:7", "event:8", "event:9", "live:9", "event:10", "event:11", "event:12");
        assertThat(log.reads).isEqualTo(2); // chunks of 4: [0,4) and [4,8); 8 and 9 from the cache
        assertThat(events.delivered).containsExactly(10L, 11L, 12L);
    }

    @Test
    void shouldCatchUpLosslesslyAfterFallingBehindAFullSink() {
        FakeSink sink = new FakeSink(4);
        subscribe(new StartPoint.Latest(), BackpressurePolicy.LOSSLESS, sink);
        for (long o = 0; o < 10; o++) {
            tail.publish(ev(o));
        }
        assertThat(events.lagging).isEqualTo(1);
        while (sink.drain()) {
            // each drain lets the catch-up send the next round
        }
        tail.publish(ev(10));

        assertThat(sink.eventOffsets()).containsExactlyElementsOf(LongStream.rangeClosed(0, 10).boxed().toList());
        assertThat(sink.ops()).containsSubsequence("subscribed", "live:-1", "event:0").filteredOn(op -> op.startsWith("live")).hasSize(1);
    }

    /** The heartbeat's allocation-free lag sample records what the status reports: offsets behind the live position. */
    @Test
    void shouldSampleTheSameLagAsTheStatusReports() {
        FakeSink sink = new FakeSink(4);
        subscribe(new StartPoint.Latest(), BackpressurePolicy.LOSSLESS, sink);
        for (long o = 0; o < 10; o++) {
            tail.publish(ev(o)); // 4 fit; the rest waits for the catch-up
        }
        DistributionSummary lag = DistributionSummary.builder("lag").register(new SimpleMeterRegistry());

        subscription.sampleLag(lag);

        assertThat(subscription.status().lagOffsets()).isEqualTo(6);
        assertThat(lag.count()).isEqualTo(1);
        assertThat(lag.max()).isEqualTo(6.0);
    }

    @Test
    void shouldDropTheOldestAndReportItBeforeTheNextEvent() {
        FakeSink sink = new FakeSink(1);
        subscribe(new StartPoint.Latest(), BackpressurePolicy.DROP_OLDEST, sink);
        for (long o = 0; o < 5; o++) {
            tail.publish(ev(o));
        }
        sink.drain();
        sink.drain();

        assertThat(sink.ops()).containsExactly("subscribed", "live:-1", "event:0", "dropped:2:1:2", "event:3", "event:4");
        assertThat(events.dropped).isEqualTo(2);
    }

    @Test
    void shouldSendNothingOnceClosedDuringARead() {
        tail.publish(ev(0));
        tail.forgetBelow(1);
        log.hold = true;
        FakeSink sink = new FakeSink(100);
        subscribe(new StartPoint.Earliest(), BackpressurePolicy.LOSSLESS, sink);

        subscription.close();
        log.release();
        tail.publish(ev(1));

        assertThat(sink.ops()).containsExactly("subscribed");
        assertThat(tail.listeners).isEmpty();
        assertThat(subscription.ended()).isTrue();
    }

    @Test
    void shouldEndAndForgetTheTopicWhenTheLivePositionIsLost() {
        FakeSink sink = new FakeSink(100);
        subscribe(new StartPoint.Latest(), BackpressurePolicy.LOSSLESS, sink);

        tail.lose("log truncated");
        tail.publish(ev(0));

        assertThat(events.failure).isInstanceOf(LivePositionLostException.class).hasMessage("log truncated");
        assertThat(topicsForgotten).hasValue(1);
        assertThat(sink.eventOffsets()).isEmpty();
        assertThat(subscription.status().state()).isEqualTo("closed");
    }

    @Test
    void shouldFailAfterTheReadAttemptsAreSpent() {
        tail.publish(ev(0));
        tail.forgetBelow(1);
        log.failing = true;
        FakeSink sink = new FakeSink(100);
        subscribe(new StartPoint.Earliest(), BackpressurePolicy.LOSSLESS, sink);

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> events.failure != null); // retries after 0.5 s, 1 s
        assertThat(events.failure).isInstanceOf(UncheckedIOException.class);
        assertThat(log.reads).isEqualTo(3);
        assertThat(tail.listeners).isEmpty();
    }

    // --- fakes ---

    private static RoomEvent ev(long offset) {
        return new RoomEvent(ROOM, offset, null, offset, ("{\"n\":" + offset + "}").getBytes(StandardCharsets.UTF_8), null);
    }

    private static Object lockOf(Subscription s) {
        try {
            Field f = Subscription.class.getDeclaredField("lock");
            f.setAccessible(true);
            return f.get(s);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The live tail: one partition, its dispatch lock, a cache of the room's events from {@code cacheFrom}. */
    final class FakeTail implements LiveDispatch {
        final Object partitionLock = new Object();
        final List<LiveListener> listeners = new ArrayList<>();
        final List<RoomEvent> all = new ArrayList<>();
        long next;
        long cacheFrom;

        void publish(RoomEvent e) {
            synchronized (partitionLock) {
                all.add(e);
                next = e.offset() + 1;
                for (LiveListener l : List.copyOf(listeners)) {
                    if (!l.ended()) {
                        l.onLive(e);
                    }
                }
            }
        }

        void forgetBelow(long offset) {
            cacheFrom = offset;
        }

        void lose(String reason) {
            List<LiveListener> lost;
            synchronized (partitionLock) {
                lost = List.copyOf(listeners);
                listeners.clear();
            }
            lost.forEach(l -> l.onLiveLost(reason));
        }

        private Handover view() {
            return new Handover(next, all.stream().filter(e -> e.offset() >= cacheFrom).toList(), cacheFrom);
        }

        @Override
        public CompletableFuture<Handover> register(RoomName room, TopicPartition partition, int historySize, LiveListener listener,
                                                    HandoverHook hook) {
            synchronized (partitionLock) {
                listeners.add(listener);
                hook.atHandover(next);
                return CompletableFuture.completedFuture(view());
            }
        }

        @Override
        public Handover recapture(RoomName room, TopicPartition partition, LiveListener listener, HandoverHook hook) {
            synchronized (partitionLock) {
                if (!listeners.contains(listener)) {
                    throw new IllegalStateException("not registered");
                }
                hook.atHandover(next);
                return view();
            }
        }

        @Override
        public void unregister(RoomName room, TopicPartition partition, LiveListener listener) {
            synchronized (partitionLock) {
                listeners.remove(listener);
            }
        }

        @Override
        public long position(TopicPartition partition) {
            synchronized (partitionLock) {
                return next;
            }
        }
    }

    /** The log: every event the tail saw; reads may be held back until {@link #release}, or fail. */
    final class FakeLog extends ChunkLog {
        boolean hold;
        boolean failing;
        int reads;
        private final List<Runnable> held = new ArrayList<>();

        void release() {
            hold = false;
            List<Runnable> now = List.copyOf(held);
            held.clear();
            now.forEach(Runnable::run);
        }

        private <T> CompletableFuture<T> answer(java.util.function.Supplier<T> value) {
            CompletableFuture<T> f = new CompletableFuture<>();
            Runnable complete = () -> {
                if (failing) {
                    f.completeExceptionally(new UncheckedIOException(new IOException("unreachable")));
                } else {
                    f.complete(value.get());
                }
            };
            if (hold) {
                held.add(complete);
            } else {
                complete.run();
            }
            return f;
        }

        @Override
        public CompletableFuture<PartitionBounds> bounds(TopicPartition partition) {
            return CompletableFuture.completedFuture(new PartitionBounds(0, tail.next)); // only reads are held or fail
        }

        @Override
        public CompletableFuture<HistoryChunk> read(TopicPartition partition, RoomName room, long from, long until, int maxEvents) {
            reads++;
            return answer(() -> {
                List<RoomEvent> found = tail.all.stream().filter(e -> e.offset() >= from && e.offset() < until).limit(maxEvents).toList();
                long next = found.size() < maxEvents ? until : found.get(found.size() - 1).offset() + 1;
                return new HistoryChunk(found, next);
            });
        }
    }

    /** A sink of {@code limit} event frames; control frames go regardless; drained only when the test says. */
    static final class FakeSink implements FrameSink {
        private final int limit;
        private final List<String> frames = new ArrayList<>();
        private final List<Runnable> waiting = new ArrayList<>();
        private int queued;

        FakeSink(int limit) {
            this.limit = limit;
        }

        @Override
        public synchronized boolean offer(ByteBuffer frame) {
            if (queued >= limit) {
                return false;
            }
            queued++;
            frames.add(StandardCharsets.UTF_8.decode(frame.duplicate()).toString());
            return true;
        }

        @Override
        public synchronized void force(ByteBuffer frame) {
            frames.add(StandardCharsets.UTF_8.decode(frame.duplicate()).toString());
        }

        @Override
        public synchronized void forceBatch(List<ByteBuffer> batch) {
            queued += batch.size();
            batch.forEach(f -> frames.add(StandardCharsets.UTF_8.decode(f.duplicate()).toString()));
        }

        @Override
        public synchronized int free() {
            return Math.max(0, limit - queued);
        }

        @Override
        public void whenDrained(Runnable task) {
            synchronized (this) {
                if (queued > limit / 2) {
                    waiting.add(task);
                    return;
                }
            }
            task.run();
        }

        /** Empties the sink and runs what waited for it; false when nothing waited. */
        boolean drain() {
            List<Runnable> now;
            synchronized (this) {
                queued = 0;
                now = List.copyOf(waiting);
                waiting.clear();
            }
            now.forEach(Runnable::run);
            return !now.isEmpty();
        }

        /** Each frame as {@code op[:offset]}; {@code dropped:count:first:last}. */
        synchronized List<String> ops() {
            return frames.stream().map(FakeSink::op).toList();
        }

        synchronized List<Long> eventOffsets() {
            return ops().stream().filter(op -> op.startsWith("event:")).map(op -> Long.parseLong(op.substring(6))).toList();
        }

        private static String op(String frame) {
            try {
                JsonNode n = JSON.readTree(frame);
                String op = n.path("op").asText();
                return switch (op) {
                    case "event", "live" -> op + ":" + n.path("offset").asLong();
                    case "dropped" -> op + ":" + n.path("count").asLong() + ":" + n.path("first").asLong() + ":" + n.path("last").asLong();
                    default -> op;
                };
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The owner: records what it is told, and whether it was told under the subscription's lock. */
    static final class Recorder implements SubscriptionEvents {
        Subscription subscription;
        final List<String> underLock = new ArrayList<>();
        final List<Long> delivered = new ArrayList<>();
        int lagging;
        int dropped;
        volatile Throwable failure;

        private void check(String callback) {
            if (subscription != null && Thread.holdsLock(lockOf(subscription))) {
                underLock.add(callback);
            }
        }

        @Override
        public void subscribed(Subscription s) {
            check("subscribed");
        }

        @Override
        public void replayed(int count, boolean fromCache) {
            check("replayed");
        }

        @Override
        public void deliveredLive(RoomEvent event) {
            check("deliveredLive");
            delivered.add(event.offset());
        }

        @Override
        public void dropped(int count) {
            check("dropped");
            dropped += count;
        }

        @Override
        public void lagging(Subscription s) {
            check("lagging");
            lagging++;
        }

        @Override
        public void handoverOverflowed(Subscription s) {
            check("handoverOverflowed");
        }

        @Override
        public void failed(Subscription s, Throwable cause) {
            check("failed");
            failure = cause;
        }
    }
}
