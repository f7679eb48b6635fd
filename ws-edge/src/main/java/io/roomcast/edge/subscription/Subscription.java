package io.roomcast.edge.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.DistributionSummary;
import io.roomcast.compact.AnswerBudget;
import io.roomcast.compact.AnswerCompactor;
import io.roomcast.edge.Backbone;
import io.roomcast.edge.EdgeConfig;
import io.roomcast.edge.compact.PartialFrames;
import io.roomcast.edge.protocol.EventFrames;
import io.roomcast.edge.protocol.ServerFrames;
import io.roomcast.edge.session.FrameSink;
import io.roomcast.edge.subscription.HandoverStep.Continue;
import io.roomcast.edge.subscription.HandoverStep.Dropped;
import io.roomcast.edge.subscription.HandoverStep.Failed;
import io.roomcast.edge.subscription.HandoverStep.ForgetTopics;
import io.roomcast.edge.subscription.HandoverStep.HandoverOverflowed;
import io.roomcast.edge.subscription.HandoverStep.Lagging;
import io.roomcast.edge.subscription.HandoverStep.Lookup;
import io.roomcast.edge.subscription.HandoverStep.Offer;
import io.roomcast.edge.subscription.HandoverStep.ReadHistory;
import io.roomcast.edge.subscription.HandoverStep.Recapture;
import io.roomcast.edge.subscription.HandoverStep.RetryRead;
import io.roomcast.edge.subscription.HandoverStep.SendDropped;
import io.roomcast.edge.subscription.HandoverStep.SendHistory;
import io.roomcast.edge.subscription.HandoverStep.SendLive;
import io.roomcast.edge.subscription.HandoverStep.SendPartial;
import io.roomcast.edge.subscription.HandoverStep.SendSubscribed;
import io.roomcast.edge.subscription.HandoverStep.Then;
import io.roomcast.edge.subscription.HandoverStep.Unregister;
import io.roomcast.edge.subscription.HandoverStep.WaitForSpace;
import io.roomcast.event.RoomEvent;
import io.roomcast.history.HistoryReader;
import io.roomcast.history.PartitionBounds;
import io.roomcast.live.Handover;
import io.roomcast.live.LiveDispatch;
import io.roomcast.live.LiveListener;
import io.roomcast.position.Epoch;
import io.roomcast.position.ResumePlan;
import io.roomcast.position.ResumePlanner;
import io.roomcast.position.StartPoint;
import io.roomcast.room.BackpressurePolicy;
import io.roomcast.topic.RoomLocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One room subscribed on one connection: the driver of its {@link HandoverMachine}, which decides
 * the exact hand-over from history to live (see there and docs/architecture.md). This class only
 * feeds the machine its inputs — live events, the hand-over offset, the log's answers, the sink's
 * answers and drains — and carries out the steps it returns: frames to the sink, history reads,
 * waits for the sink to drain, a new hand-over offset, reports to the owner.
 *
 * <p>Threading and locks. The machine is guarded by one lock. Live events and the hand-over offset
 * come on the live tail's thread, which holds the partition's dispatch lock and then takes this
 * lock; everything else runs on the backbone's worker (every continuation goes through
 * {@link #onWorker}: when the worker refuses it, the subscription ends with a notice instead of
 * waiting forever). Frames are handed to the sink while holding this lock, so their order is the
 * delivery order. Everything else — live registration, history reads, {@link FrameSink#whenDrained},
 * {@link SubscriptionEvents} — runs after the lock is released: the partition's lock is never
 * taken while holding this one. History reads take a permit of the connection's {@link ReadPermits}.
 */
public final class Subscription implements LiveListener {
    private static final Logger log = LoggerFactory.getLogger(Subscription.class);

    /** Bounds of a compacted history's held-back answers: beyond them, held text goes out early as a partial. */
    private static final int COMPACT_OPEN_ANSWERS = 64;
    private static final int COMPACT_ANSWER_CHARS = 256 * 1024;

    private final LiveDispatch live;
    private final HistoryReader history;
    private final SharedReads reads;
    private final Executor worker;
    private final Runnable forgetTopics;
    private final FrameSink sink;
    private final RoomLocation location;
    private final JsonNode requestId;
    private final ReadPermits permits;
    private final SubscriptionEvents events;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private final HandoverMachine machine;
    /** Set once the machine is closed; readable without the lock by the live tail (see {@link LiveListener#ended()}). */
    private volatile boolean ended;

    /** Any thread; nothing starts before {@link #start()}. */
    public Subscription(Backbone backbone, FrameSink outbound, RoomLocation location, StartPoint from, JsonNode requestId,
                        BackpressurePolicy policy, ReadPermits permits, SubscriptionEvents events) {
        this(backbone.live(), backbone.history(), backbone.reads(), backbone.worker(), backbone.topics()::invalidate, outbound, location, requestId,
                permits, events, machine(backbone.config(), location, from, policy));
    }

    /** With the collaborators given one by one (tests give fakes). */
    Subscription(LiveDispatch live, HistoryReader history, SharedReads reads, Executor worker, Runnable forgetTopics, FrameSink sink,
                 RoomLocation location, JsonNode requestId, ReadPermits permits, SubscriptionEvents events, HandoverMachine machine) {
        this.live = live;
        this.history = history;
        this.reads = reads;
        this.worker = worker;
        this.forgetTopics = forgetTopics;
        this.sink = sink;
        this.location = location;
        this.requestId = requestId;
        this.permits = permits;
        this.events = events;
        this.machine = machine;
    }

    private static HandoverMachine machine(EdgeConfig config, RoomLocation location, StartPoint from, BackpressurePolicy policy) {
        return new HandoverMachine(from, location.epoch(), policy, config.handoverBufferLimit(), config.outboundLimit(),
                config.historyReadAttempts(), config.dropWindow());
    }

    /** Any thread. */
    public RoomLocation location() {
        return location;
    }

    /** Any thread. */
    public JsonNode requestId() {
        return requestId;
    }

    /**
     * Delivers the history compacted: finished answers as their {@code generation.message}, the tokens
     * of unfinished ones as one {@code partial} frame each just before {@code live}; the text held
     * back counts against the edge's {@code budget}. Call before {@link #start()}, on the thread that
     * starts it.
     */
    public void compactHistory(AnswerBudget budget) {
        synchronized (lock) {
            machine.compact(new AnswerCompactor(COMPACT_OPEN_ANSWERS, COMPACT_ANSWER_CHARS, budget));
        }
    }

    /** Registers for live dispatch and starts the catch-up; returns at once. A worker thread (it may register a partition). */
    public void start() {
        live.register(location.room(), location.partition(), location.namespace().historySize(), this, this::atHandover)
                .whenComplete((view, error) -> onWorker(() -> feed(m -> error != null ? m.fail(unwrap(error)) : m.registered(view))));
    }

    /**
     * Stops delivery; no event is handed to the sink after this returns. A worker thread, never an IO
     * thread: it takes this lock, which live dispatch holds while it hands an event to the sink.
     */
    public void close() {
        feed(HandoverMachine::close);
    }

    /**
     * The room's epoch is not the one this subscription started in: it ends so the client resumes and
     * learns the gap. The epoch watch's thread (not an IO thread).
     */
    public void epochChanged(Epoch current) {
        feed(m -> m.epochChanged(current));
    }

    /**
     * The live tail's thread, holding the partition's lock. The live path of a live subscriber: the
     * machine's few field accesses and one {@link FrameSink#offer}; the event frame is encoded once
     * per edge ({@link EventFrames}) and nothing else is allocated.
     */
    @Override
    public void onLive(RoomEvent event) {
        boolean delivered = false;
        List<Runnable> later = null;
        synchronized (lock) {
            List<HandoverStep> steps = machine.live(event);
            if (steps == HandoverMachine.OFFER_RECEIVED) {
                delivered = sink.offer(EventFrames.encode(event));
                steps = machine.offered(event, delivered);
            }
            if (steps != HandoverMachine.NONE) {
                later = send(steps, new ArrayList<>(4));
            }
        }
        if (delivered) {
            events.deliveredLive(event);
        }
        if (later != null) {
            later.forEach(Runnable::run);
        }
    }

    /** The live tail's thread, without its locks: the tail dropped this listener. */
    @Override
    public void onLiveLost(String reason) {
        // Not registered any more; the topic may have a new id: the next subscribe must look it up
        // again. Both only clear a map and queue a frame, so they run here on the live thread.
        feed(m -> m.liveLost(reason));
    }

    /** The live tail's thread. */
    @Override
    public boolean ended() {
        return ended;
    }

    /** The live tail's thread, under the partition's lock: L is fixed, before any event at or above it is dispatched to us. */
    private void atHandover(long offset) {
        synchronized (lock) {
            machine.handoverFixed(offset);
        }
    }

    /** Gives the machine one input under the lock, hands its frames to the sink there, and carries out the rest after. */
    private void feed(Function<HandoverMachine, List<HandoverStep>> input) {
        List<Runnable> later = new ArrayList<>(4);
        synchronized (lock) {
            send(input.apply(machine), later);
            if (machine.closed()) {
                ended = true;
            }
        }
        later.forEach(Runnable::run);
    }

    /**
     * Under the lock: hands the frame steps to the sink in order, feeding the sink's answer to each
     * offer back to the machine; appends what must run after the lock to {@code later}.
     */
    private List<Runnable> send(List<HandoverStep> steps, List<Runnable> later) {
        while (true) {
            RoomEvent offered = null;
            for (HandoverStep step : steps) {
                if (step instanceof Offer o) {
                    offered = o.event();
                } else if (step instanceof SendHistory h) {
                    List<ByteBuffer> frames = new ArrayList<>(h.frames().size());
                    // Events of the room's cache or of a crowded room's reads reach other subscribers too.
                    boolean shared = h.fromCache() || reads.crowded(location);
                    for (AnswerCompactor.Output out : h.frames()) {
                        frames.add(historyFrame(out, shared));
                    }
                    sink.forceBatch(frames);
                    later.add(() -> events.replayed(frames.size(), h.fromCache()));
                } else if (step instanceof SendSubscribed s) {
                    ResumePlan plan = s.plan();
                    sink.force(ServerFrames.subscribed(requestId, location.room(), location.epoch(), plan.recovered(), plan.gap()));
                    later.add(() -> subscribed(plan));
                } else if (step instanceof SendLive l) {
                    sink.force(ServerFrames.live(location.room(), l.offset()));
                } else if (step instanceof SendPartial p) {
                    sink.force(PartialFrames.encode(location.room(), p.partial()));
                } else if (step instanceof SendDropped d) {
                    sink.force(ServerFrames.dropped(location.room(), d.count(), d.first(), d.last()));
                } else {
                    later.add(() -> carryOut(step));
                }
            }
            if (offered == null) {
                return later;
            }
            boolean accepted = sink.offer(EventFrames.encode(offered));
            if (accepted) {
                RoomEvent e = offered;
                later.add(() -> events.deliveredLive(e));
            }
            steps = machine.offered(offered, accepted);
        }
    }

    /** The frame of one history output; {@code shared}: other subscribers send the same event objects, so its frame is remembered. */
    private ByteBuffer historyFrame(AnswerCompactor.Output out, boolean shared) {
        if (out instanceof AnswerCompactor.Pass pass) {
            return shared ? EventFrames.encodeShared(pass.event()) : EventFrames.encodeFresh(pass.event());
        }
        return PartialFrames.encode(location.room(), (AnswerCompactor.Partial) out);
    }

    /** Outside the lock: a step that is not a frame. */
    private void carryOut(HandoverStep step) {
        if (step instanceof WaitForSpace w) {
            sink.whenDrained(() -> onWorker(() -> resume(w.then())));
        } else if (step instanceof Continue c) {
            resume(c.then());
        } else if (step instanceof ReadHistory r) {
            read(r);
        } else if (step instanceof RetryRead r) {
            CompletableFuture.delayedExecutor(r.delayMillis(), TimeUnit.MILLISECONDS, this::onWorker).execute(() -> resume(Then.CATCH_UP));
        } else if (step instanceof Lookup l) {
            lookUp(l);
        } else if (step instanceof Recapture) {
            recapture();
        } else if (step instanceof Unregister) {
            live.unregister(location.room(), location.partition(), this);
        } else if (step instanceof ForgetTopics) {
            forgetTopics.run();
        } else if (step instanceof Dropped d) {
            events.dropped(d.count());
        } else if (step instanceof Lagging) {
            events.lagging(this);
        } else if (step instanceof HandoverOverflowed) {
            events.handoverOverflowed(this);
        } else if (step instanceof Failed f) {
            events.failed(this, f.cause());
        } else {
            throw new IllegalStateException("a frame step outside the lock: " + step);
        }
    }

    private void resume(Then then) {
        feed(m -> m.resume(then, sink.free()));
    }

    private void subscribed(ResumePlan plan) {
        if (plan.gap() != null) {
            log.atInfo().addKeyValue("room", location.room()).addKeyValue("reason", plan.gap().reason().wire())
                    .addKeyValue("after", plan.gap().after()).addKeyValue("resumeAt", plan.gap().resumeAt())
                    .log("resume with a gap");
        }
        events.subscribed(this);
    }

    private void lookUp(Lookup step) {
        var tp = location.partition();
        CompletableFuture<Long> answer;
        if (step.lookup() instanceof ResumePlanner.Lookup.LogStart) {
            answer = permits.run(() -> reads.bounds(tp)).thenApply(PartitionBounds::logStart);
        } else if (step.lookup() instanceof ResumePlanner.Lookup.LogEnd) {
            answer = permits.run(() -> reads.bounds(tp)).thenApply(PartitionBounds::end);
        } else if (step.lookup() instanceof ResumePlanner.Lookup.StartOfLast last) {
            answer = permits.run(() -> history.startOfLast(tp, location.room(), last.count(), step.handover()));
        } else if (step.lookup() instanceof ResumePlanner.Lookup.OffsetForTime time) {
            answer = permits.run(() -> history.offsetForTime(tp, time.timestamp()));
        } else {
            throw new IllegalStateException("not a lookup in the log: " + step.lookup());
        }
        answer.whenComplete((offset, error) -> onWorker(() -> feed(m -> error != null ? m.fail(unwrap(error)) : m.lookedUp(offset))));
    }

    private void read(ReadHistory r) {
        permits.run(() -> reads.read(location, r.from(), r.until(), r.maxEvents()))
                .whenComplete((chunk, error) -> onWorker(() -> feed(m -> error != null ? readFailed(m, r, unwrap(error))
                        : m.historyRead(r, chunk, sink.free()))));
    }

    private List<HandoverStep> readFailed(HandoverMachine m, ReadHistory r, Throwable error) {
        List<HandoverStep> steps = m.readFailed(r, error);
        if (m.closed()) {
            log.atWarn().addKeyValue("room", location.room()).setCause(error).log("history read failed; ending the subscription");
        }
        return steps;
    }

    /** A new L for the registered listener (outside our lock: the tail takes the partition's lock, then calls {@link #atHandover}). */
    private void recapture() {
        Handover view;
        try {
            view = live.recapture(location.room(), location.partition(), this, this::atHandover);
        } catch (IllegalStateException e) {
            return; // closed meanwhile
        }
        feed(m -> m.recaptured(view, sink.free()));
    }

    /** Runs the next step on the worker; when the worker refuses it, the subscription ends with a notice. Any thread. */
    private void onWorker(Runnable step) {
        try {
            worker.execute(step);
        } catch (RejectedExecutionException e) {
            feed(m -> m.fail(e));
        }
    }

    private static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /**
     * What this subscription is doing, for the admin endpoint and lag metrics. Any thread; it takes the
     * partition's lock briefly, then this one, never both at once.
     */
    public SubscriptionStatus status() {
        // Read before taking our lock: live dispatch holds the partition lock, then ours.
        long next = live.position(location.partition());
        synchronized (lock) {
            return new SubscriptionStatus(location.room().value(), machine.stateName(), machine.policy().wire(), machine.lastDelivered(),
                    lag(next), machine.pending(), machine.readAhead());
        }
    }

    /**
     * Records this subscription's lag (as in {@link #status()}) into {@code lag} and returns its read-ahead: the
     * heartbeat sweep's sample of every subscription every second, which allocates nothing. The sweep's thread.
     */
    public int sampleLag(DistributionSummary lag) {
        long next = live.position(location.partition());
        long offsets;
        int readAhead;
        synchronized (lock) {
            offsets = lag(next);
            readAhead = machine.readAhead();
        }
        lag.record(offsets);
        return readAhead;
    }

    /** Under the lock: how far the last delivered offset is behind {@code next}, the partition's live position. */
    private long lag(long next) {
        long lastDelivered = machine.lastDelivered();
        return next < 0 || lastDelivered < 0 && machine.state() == HandoverMachine.State.STARTING ? 0
                : Math.max(0, next - 1 - lastDelivered);
    }
}
