package io.roomcast.edge.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.compact.AnswerCompactor;
import io.roomcast.edge.Backbone;
import io.roomcast.edge.compact.PartialFrames;
import io.roomcast.edge.protocol.EventFrames;
import io.roomcast.edge.protocol.ServerFrames;
import io.roomcast.edge.session.FrameSink;
import io.roomcast.event.RoomEvent;
import io.roomcast.handover.HandoverBuffer;
import io.roomcast.history.HistoryChunk;
import io.roomcast.live.Handover;
import io.roomcast.live.LiveListener;
import io.roomcast.live.LivePositionLostException;
import io.roomcast.position.Epoch;
import io.roomcast.position.ResumePlan;
import io.roomcast.position.ResumePlanner;
import io.roomcast.position.StartPoint;
import io.roomcast.room.BackpressurePolicy;
import io.roomcast.topic.RoomLocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One room subscribed on one connection, and its exact hand-over from history to live.
 *
 * <p>Lifecycle: registered for live dispatch first, in the catching-up state that buffers live
 * events; the hand-over offset L is fixed at that instant under the live dispatch lock. History
 * below L is delivered from the edge's cache or from Kafka, at the client's pace; then buffered
 * live events above the last delivered offset; then live. If the buffer overflows, or the client
 * cannot take live events fast enough (lossless backpressure), the subscription falls back to
 * catching up again from its last delivered offset up to a new hand-over offset. Events are
 * delivered in offset order and never twice.
 *
 * <p>With the {@code drop-oldest} and {@code latest-only} policies, live events that do not fit
 * wait in a small bounded window instead (one event for {@code latest-only}); when it is full the
 * oldest is dropped, and the client gets a {@code dropped} frame naming the count and the offset
 * range before the next event it receives. History is always delivered losslessly.
 *
 * <p>Threading: {@link #onLive} runs on the live tail's thread; the catch-up runs on the
 * backbone's worker executor; state is guarded by one lock. Every continuation goes through
 * {@link #onWorker}: when the worker refuses it (queue full), the subscription ends with a notice
 * to the client and frees its room, instead of waiting forever. History reads take a permit of
 * the connection's {@link ReadPermits}. Frames are handed to the connection
 * while holding it, so their order is the delivery order. Lock order: the live tail's partition
 * lock is taken before this lock, never while holding it.
 */
public final class Subscription implements LiveListener {
    private static final Logger log = LoggerFactory.getLogger(Subscription.class);

    enum State { STARTING, CATCHING_UP, LIVE, LAGGING, CLOSED }

    /** Bounds of a compacted history's held-back answers: beyond them, held text goes out early as a partial. */
    private static final int COMPACT_OPEN_ANSWERS = 64;
    private static final int COMPACT_ANSWER_CHARS = 256 * 1024;

    private final Backbone backbone;
    private final FrameSink outbound;
    private final RoomLocation location;
    private final StartPoint from;
    private final JsonNode requestId;
    private final SubscriptionEvents events;
    private final BackpressurePolicy policy;
    private final ReadPermits permits;
    private final Object lock = new Object();
    /** Set with CLOSED, readable without the lock by the live tail (see {@link LiveListener#ended()}). */
    private volatile boolean ended;

    private State state = State.STARTING;
    private HandoverBuffer buffer;
    private long handover;
    private Handover cacheView;
    private long lastDelivered = -1;
    private long cursor;
    private boolean liveSent;
    private int readFailures;
    /** For {@code from: time}: history events older than this are skipped until the first newer one. */
    private long notBefore = Long.MIN_VALUE;
    private final DropWindow window;
    /** History events read from Kafka and not yet sent: at most one read, {@link #readChunk} events. */
    private final ArrayDeque<RoomEvent> readAhead = new ArrayDeque<>(1); // grows on a replay; most connections never read one
    private final int readChunk;
    private boolean pumpScheduled;
    /** With {@code "compact":true}, until {@code live}: holds back the tokens of answers (see {@link #compactHistory()}). */
    private AnswerCompactor compactor;

    public Subscription(Backbone backbone, FrameSink outbound, RoomLocation location, StartPoint from, JsonNode requestId,
                        BackpressurePolicy policy, ReadPermits permits, SubscriptionEvents events) {
        this.policy = policy;
        this.permits = permits;
        this.window = new DropWindow(policy == BackpressurePolicy.LATEST_ONLY ? 1 : backbone.config().dropWindow());
        this.readChunk = backbone.config().outboundLimit();
        this.backbone = backbone;
        this.outbound = outbound;
        this.location = location;
        this.from = from;
        this.requestId = requestId;
        this.events = events;
    }

    public RoomLocation location() {
        return location;
    }

    /**
     * Delivers the history compacted: finished answers as their {@code generation.message}, the tokens
     * of unfinished ones as one {@code partial} frame each just before {@code live}. Call before {@link #start()}.
     */
    public void compactHistory() {
        synchronized (lock) {
            compactor = new AnswerCompactor(COMPACT_OPEN_ANSWERS, COMPACT_ANSWER_CHARS);
        }
    }

    /** Registers for live dispatch and starts the catch-up; returns at once. */
    public void start() {
        backbone.live().register(location.room(), location.partition(), location.namespace().historySize(), this, this::atHandover)
                .thenComposeAsync(this::plan, backbone.worker())
                .thenAcceptAsync(this::begin, backbone.worker())
                .exceptionally(e -> {
                    failBeforeSubscribed(unwrap(e));
                    return null;
                });
    }

    /** Stops delivery; no event is handed to the connection after this returns. */
    public void close() {
        if (end()) {
            backbone.live().unregister(location.room(), location.partition(), this);
        }
    }

    /** Moves to CLOSED; false when it already was. */
    private boolean end() {
        synchronized (lock) {
            if (state == State.CLOSED) {
                return false;
            }
            state = State.CLOSED;
            ended = true;
            buffer = null;
            cacheView = null;
            readAhead.clear();
            return true;
        }
    }

    /** Called under the live dispatch lock when L is fixed, before any event at or above L is dispatched to us. */
    private void atHandover(long offset) {
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            handover = offset;
            buffer = new HandoverBuffer(backbone.config().handoverBufferLimit());
            state = State.CATCHING_UP;
        }
    }

    @Override
    public void onLive(RoomEvent event) {
        synchronized (lock) {
            switch (state) {
                case CATCHING_UP -> buffer.offer(event);
                case LIVE -> {
                    if (event.offset() <= lastDelivered) {
                        return;
                    }
                    if (policy == BackpressurePolicy.LOSSLESS) {
                        if (outbound.offer(EventFrames.encode(event))) {
                            deliveredLive(event);
                        } else {
                            fallBehind();
                        }
                    } else if (window.isClear() && outbound.offer(EventFrames.encode(event))) {
                        deliveredLive(event);
                    } else {
                        hold(event);
                    }
                }
                default -> {
                }
            }
        }
    }

    @Override
    public void onLiveLost(String reason) {
        if (!end()) {
            return;
        }
        // Not registered any more; the topic may have a new id: the next subscribe must look it up again.
        // Both steps only clear a map and queue a frame, so they run here on the live thread.
        backbone.topics().invalidate();
        events.failed(this, new LivePositionLostException(reason));
    }

    /** The room's epoch is not the one this subscription started in: end it so the client resumes and learns the gap. */
    public void epochChanged(Epoch current) {
        if (!end()) {
            return;
        }
        backbone.live().unregister(location.room(), location.partition(), this);
        events.failed(this, new LivePositionLostException("the room's epoch changed from " + location.epoch().value() + " to "
                + current.value() + " (topic re-created or partitions added)"));
    }

    private void deliveredLive(RoomEvent event) {
        lastDelivered = event.offset();
        events.deliveredLive(event);
    }

    /** Drop policies: keep the event in the bounded window, dropping the oldest when it is full. */
    private void hold(RoomEvent event) {
        if (window.add(event)) {
            events.dropped(1);
        }
        if (!pumpScheduled) {
            pumpScheduled = true;
            outbound.whenDrained(() -> onWorker(this::pump));
        }
    }

    @Override
    public boolean ended() {
        return ended;
    }

    /** Runs the next step on the worker; when the worker refuses it, the subscription ends with a notice. */
    private void onWorker(Runnable step) {
        try {
            backbone.worker().execute(step);
        } catch (RejectedExecutionException e) {
            fail(e);
        }
    }

    /**
     * Ends the subscription and tells the session, which sends the room notice and frees the room.
     * Under our lock the partition's lock must not be taken (lock order): the live tail then drops
     * the ended listener itself at the room's next event.
     */
    private void fail(Throwable cause) {
        if (!end()) {
            return;
        }
        if (!Thread.holdsLock(lock)) {
            backbone.live().unregister(location.room(), location.partition(), this);
        }
        events.failed(this, cause);
    }

    private void pump() {
        synchronized (lock) {
            pumpScheduled = false;
            if (state != State.LIVE) {
                return;
            }
            ByteBuffer notice = window.takeNotice(location.room());
            if (notice != null) {
                outbound.force(notice);
            }
            while (window.hasWaiting()) {
                RoomEvent next = window.peek();
                if (!outbound.offer(EventFrames.encode(next))) {
                    break;
                }
                window.poll();
                deliveredLive(next);
            }
            if (window.hasWaiting()) {
                pumpScheduled = true;
                outbound.whenDrained(() -> onWorker(this::pump));
            }
        }
    }

    private CompletableFuture<ResumePlan> plan(Handover h) {
        boolean closedMeanwhile;
        synchronized (lock) {
            closedMeanwhile = state == State.CLOSED;
            cacheView = h;
        }
        if (closedMeanwhile) {
            // close() ran before the registration completed; undo it (outside our lock: lock order).
            backbone.live().unregister(location.room(), location.partition(), this);
            throw new SubscriptionClosedException();
        }
        long l = h.offset();
        var history = backbone.history();
        var tp = location.partition();
        List<Long> cachedOffsets = h.cached().stream().map(RoomEvent::offset).toList();
        ResumePlanner.Lookup lookup = ResumePlanner.start(from, location.epoch(), l, h.cacheCoversFrom(), cachedOffsets);
        if (lookup instanceof ResumePlanner.Lookup.Done done) {
            return CompletableFuture.completedFuture(done.plan());
        }
        CompletableFuture<Long> answer;
        if (lookup instanceof ResumePlanner.Lookup.LogStart) {
            answer = permits.run(() -> history.bounds(tp)).thenApply(b -> b.logStart());
        } else if (lookup instanceof ResumePlanner.Lookup.StartOfLast last) {
            answer = permits.run(() -> history.startOfLast(tp, location.room(), last.count(), l));
        } else {
            long time = ((ResumePlanner.Lookup.OffsetForTime) lookup).timestamp();
            synchronized (lock) {
                // Other rooms share the partition, and Kafka finds the first record of any room at or
                // after the time; this room's older events after it are skipped — in the first
                // catch-up only (see switchToLive).
                notBefore = time;
            }
            answer = permits.run(() -> history.offsetForTime(tp, time));
        }
        return answer.thenApply(a -> ResumePlanner.withLookup(from, location.epoch(), l, a));
    }

    private void begin(ResumePlan plan) {
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            cursor = plan.readFrom();
            lastDelivered = plan.readFrom() - 1;
            outbound.force(ServerFrames.subscribed(requestId, location.room(), location.epoch(), plan.recovered(), plan.gap()));
        }
        if (plan.gap() != null) {
            log.atInfo().addKeyValue("room", location.room()).addKeyValue("reason", plan.gap().reason().wire())
                    .addKeyValue("after", plan.gap().after()).addKeyValue("resumeAt", plan.gap().resumeAt())
                    .log("resume with a gap");
        }
        events.subscribed(this);
        catchUp();
    }

    /**
     * Delivers history from the cursor up to the hand-over offset, as fast as the client takes it:
     * each round sends what the outbound buffer has room for as batch messages, from the cache, from
     * events already read, or from one Kafka read of up to an outbound buffer's worth.
     */
    private void catchUp() {
        while (true) {
            long from;
            long until;
            Handover view;
            boolean haveRead;
            synchronized (lock) {
                if (state != State.CATCHING_UP) {
                    return;
                }
                from = cursor;
                until = handover;
                view = cacheView;
                haveRead = !readAhead.isEmpty();
            }
            if (from >= until && !haveRead) {
                switchToLive();
                return;
            }
            int free = outbound.free();
            if (free == 0) {
                outbound.whenDrained(() -> onWorker(this::catchUp));
                return;
            }
            if (haveRead) {
                deliverReadAhead(free);
            } else if (view.cacheCoversFrom() <= from) {
                deliverFromCache(view, from, until, free);
            } else {
                permits.run(() -> backbone.history().read(location.partition(), location.room(), from, until, readChunk))
                        .whenComplete((chunk, error) -> onWorker(() -> deliverChunk(chunk, error)));
                return;
            }
        }
    }

    private void deliverFromCache(Handover view, long from, long until, int free) {
        List<RoomEvent> batch = new ArrayList<>(Math.min(free, 64));
        long next = until;
        for (RoomEvent e : view.cached()) {
            if (e.offset() < from || e.offset() >= until) {
                continue;
            }
            if (batch.size() == free) {
                next = e.offset();
                break;
            }
            batch.add(e);
        }
        int sent = deliverHistory(batch, next);
        events.replayed(sent, true);
    }

    private void deliverChunk(HistoryChunk chunk, Throwable error) {
        if (error != null) {
            retryRead(unwrap(error));
            return;
        }
        readFailures = 0;
        synchronized (lock) {
            if (state != State.CATCHING_UP) {
                return;
            }
            readAhead.addAll(chunk.events());
            cursor = Math.max(cursor, chunk.next());
        }
        catchUp();
    }

    private void deliverReadAhead(int free) {
        List<RoomEvent> batch;
        synchronized (lock) {
            batch = new ArrayList<>(Math.min(free, readAhead.size()));
            while (batch.size() < free && !readAhead.isEmpty()) {
                batch.add(readAhead.pollFirst());
            }
        }
        events.replayed(deliverHistory(batch, Long.MIN_VALUE), false);
    }

    /**
     * Sends history events in one go and moves the cursor to at least {@code next}; returns how many
     * were sent (events at or below the last delivered offset, or older than a {@code from: time}
     * start, are skipped).
     */
    private int deliverHistory(List<RoomEvent> batch, long next) {
        synchronized (lock) {
            if (state != State.CATCHING_UP) {
                return 0;
            }
            List<ByteBuffer> frames = new ArrayList<>(batch.size());
            for (RoomEvent e : batch) {
                if (e.offset() <= lastDelivered || e.timestamp() < notBefore) {
                    continue;
                }
                notBefore = Long.MIN_VALUE;
                if (compactor == null) {
                    frames.add(EventFrames.encode(e));
                } else {
                    // a held token counts as delivered: it goes out in a partial before live
                    for (AnswerCompactor.Output out : compactor.offer(e)) {
                        frames.add(out instanceof AnswerCompactor.Pass pass ? EventFrames.encode(pass.event())
                                : PartialFrames.encode(location.room(), (AnswerCompactor.Partial) out));
                    }
                }
                lastDelivered = e.offset();
            }
            outbound.forceBatch(frames);
            cursor = Math.max(cursor, next);
            return frames.size();
        }
    }

    private void retryRead(Throwable error) {
        readFailures++;
        if (readFailures > backbone.config().historyReadAttempts()) {
            log.atWarn().addKeyValue("room", location.room()).addKeyValue("offset", cursor).setCause(error)
                    .log("history read failed; ending the subscription");
            fail(error);
            return;
        }
        Executor worker = this::onWorker;
        CompletableFuture.delayedExecutor(readFailures * 500L, TimeUnit.MILLISECONDS, worker).execute(this::catchUp);
    }

    private void switchToLive() {
        synchronized (lock) {
            if (state != State.CATCHING_UP) {
                return;
            }
            if (!buffer.overflowed()) {
                if (compactor != null) {
                    // Exactly the tokens at or below lastDelivered: the buffered live events above it follow.
                    compactor.finish().forEach(p -> outbound.force(PartialFrames.encode(location.room(), p)));
                    compactor = null;
                }
                if (!liveSent) {
                    outbound.force(ServerFrames.live(location.room(), Math.max(handover - 1, lastDelivered)));
                    liveSent = true;
                }
                List<RoomEvent> buffered = buffer.drainAbove(lastDelivered);
                buffer = null;
                // What the catch-up needed is sent: the cache snapshot is released, and a time
                // start's skip ends here, so a later lossless catch-up skips nothing.
                cacheView = null;
                notBefore = Long.MIN_VALUE;
                state = State.LIVE;
                for (RoomEvent e : buffered) {
                    if (policy != BackpressurePolicy.LOSSLESS) {
                        onLive(e);
                    } else if (outbound.offer(EventFrames.encode(e))) {
                        lastDelivered = e.offset();
                    } else {
                        fallBehind();
                        return;
                    }
                }
                return;
            }
        }
        events.handoverOverflowed(this);
        recapture();
    }

    /** Lossless backpressure: stop live delivery and catch up from the last delivered offset once the client drains. */
    private void fallBehind() {
        state = State.LAGGING;
        buffer = null;
        readAhead.clear();
        cursor = lastDelivered + 1;
        events.lagging(this);
        outbound.whenDrained(() -> onWorker(this::recapture));
    }

    private void recapture() {
        Handover h;
        try {
            h = backbone.live().recapture(location.room(), location.partition(), this, this::atHandover);
        } catch (IllegalStateException e) {
            return; // closed meanwhile
        }
        synchronized (lock) {
            if (state != State.CATCHING_UP) {
                return;
            }
            cacheView = h;
        }
        catchUp();
    }

    private void failBeforeSubscribed(Throwable e) {
        if (e instanceof SubscriptionClosedException) {
            return;
        }
        close();
        events.failed(this, e);
    }

    private static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** What this subscription is doing, for the admin endpoint and lag metrics. */
    public SubscriptionStatus status() {
        // Read before taking our lock: live dispatch holds the partition lock, then ours.
        long next = backbone.live().position(location.partition());
        synchronized (lock) {
            long lag = next < 0 || lastDelivered < 0 && state == State.STARTING ? 0 : Math.max(0, next - 1 - lastDelivered);
            return new SubscriptionStatus(location.room().value(), state.name().toLowerCase(java.util.Locale.ROOT),
                    policy.wire(), lastDelivered, lag, window.size(), readAhead.size());
        }
    }

    public JsonNode requestId() {
        return requestId;
    }
}
