package io.roomcast.edge.subscription;

import io.roomcast.compact.AnswerCompactor;
import io.roomcast.edge.subscription.HandoverStep.Continue;
import io.roomcast.edge.subscription.HandoverStep.Dropped;
import io.roomcast.edge.subscription.HandoverStep.Failed;
import io.roomcast.edge.subscription.HandoverStep.ForgetTopics;
import io.roomcast.edge.subscription.HandoverStep.HandoverOverflowed;
import io.roomcast.edge.subscription.HandoverStep.Lagging;
import io.roomcast.edge.subscription.HandoverStep.Lookup;
import io.roomcast.edge.subscription.HandoverStep.Offer;
import io.roomcast.edge.subscription.HandoverStep.OfferReceived;
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
import io.roomcast.handover.HandoverBuffer;
import io.roomcast.history.HistoryChunk;
import io.roomcast.live.Handover;
import io.roomcast.live.LivePositionLostException;
import io.roomcast.position.Epoch;
import io.roomcast.position.ResumePlan;
import io.roomcast.position.ResumePlanner;
import io.roomcast.position.StartPoint;
import io.roomcast.room.BackpressurePolicy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The exact hand-over of one subscription from history to live, as a pure state machine: each
 * input (a method) changes the state and returns what to do as {@link HandoverStep} values. No
 * threads, no I/O, no clock; {@link Subscription} drives it and carries the steps out.
 *
 * <p>States: STARTING (until the hand-over offset L is fixed), CATCHING_UP (history below L goes
 * out at the sink's pace while live events from L on wait in a bounded {@link HandoverBuffer}),
 * LIVE, LAGGING (lossless only: the sink refused a live event; once it drains, a new L is fixed and
 * the catch-up starts again from the last delivered offset), CLOSED. Events go out in offset order
 * and never twice: everything at or below the last delivered offset is skipped. With the drop
 * policies a live event the sink refuses waits in the {@link DropWindow} instead.
 *
 * <p>Sink answers are inputs too: the machine emits one {@link Offer} (or {@link #OFFER_RECEIVED})
 * at a time, and the driver feeds the sink's answer to {@link #offered} before anything else.
 * A live event that goes straight out changes no field but that primitive offer marker and the last
 * delivered offset: the live path stays a few field accesses and one {@code offer}.
 *
 * <p>Not thread-safe: the driver calls it under the subscription's lock.
 */
final class HandoverMachine {
    enum State { STARTING, CATCHING_UP, LIVE, LAGGING, CLOSED }

    private static final String[] STATE_NAMES = Arrays.stream(State.values()).map(st -> st.name().toLowerCase(Locale.ROOT))
            .toArray(String[]::new);

    /*
     * Where the outstanding offer came from, which decides what a refusal means. Primitive codes, and
     * the event itself is not stored: a reference store per live delivery would cost a GC write barrier.
     */
    private static final byte NO_OFFER = 0;
    private static final byte RECEIVED = 1;
    private static final byte BUFFERED = 2;
    private static final byte WINDOW = 3;

    static final List<HandoverStep> NONE = List.of();
    /** Offer the live event just given to {@link #live}: a constant, so the live path allocates nothing. */
    static final List<HandoverStep> OFFER_RECEIVED = List.of(new OfferReceived());

    private static final long RETRY_DELAY_MILLIS = 500;

    private final StartPoint from;
    private final Epoch epoch;
    private final BackpressurePolicy policy;
    private final int bufferLimit;
    private final int readChunk;
    private final int readAttempts;
    private final DropWindow window;

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
    /**
     * History events read from the log and not yet sent: at most {@code readChunk}. Null while none wait: most
     * subscriptions never read, and a drained deque would keep the array its largest chunk grew (idle connections).
     */
    private ArrayDeque<RoomEvent> readAhead;
    /** Buffered live events still to offer while switching to live; null while none (as {@link #readAhead}). */
    private ArrayDeque<RoomEvent> switching;
    private byte offering = NO_OFFER;
    private boolean pumpScheduled;
    /** The history read in flight, if any: one at a time; an answer to any other read is stale and ignored. */
    private ReadHistory reading;
    /** A wait for space that resumes the catch-up is outstanding: one at a time. */
    private boolean catchUpWaiting;
    /** With {@code "compact":true}, until {@code live}: holds back the tokens of answers. */
    private AnswerCompactor compactor;

    /**
     * @param bufferLimit  live events a catch-up buffers before it gives up and fixes a new L
     * @param readChunk    events per history read (one sink's worth)
     * @param readAttempts failed reads in a row tolerated before the subscription fails
     * @param dropWindow   the window of the {@code drop-oldest} policy ({@code latest-only} holds one)
     */
    HandoverMachine(StartPoint from, Epoch epoch, BackpressurePolicy policy, int bufferLimit, int readChunk, int readAttempts,
                    int dropWindow) {
        this.from = from;
        this.epoch = epoch;
        this.policy = policy;
        this.bufferLimit = bufferLimit;
        this.readChunk = readChunk;
        this.readAttempts = readAttempts;
        // Lossless subscriptions (the default) never hold events back, so they carry no window.
        this.window = policy == BackpressurePolicy.LOSSLESS ? null : new DropWindow(policy == BackpressurePolicy.LATEST_ONLY ? 1 : dropWindow);
    }

    /** Delivers the history compacted (see {@link AnswerCompactor}); before the start. */
    void compact(AnswerCompactor answers) {
        compactor = answers;
    }

    /** L is fixed: everything of the room below it is history, every live event from now on is at or above it. */
    void handoverFixed(long offset) {
        if (state == State.CLOSED) {
            return;
        }
        handover = offset;
        buffer = new HandoverBuffer(bufferLimit);
        state = State.CATCHING_UP;
    }

    /** The registration completed with the cache's view below L: plan the start, or name the lookup it needs. */
    List<HandoverStep> registered(Handover view) {
        if (state == State.CLOSED) {
            return List.of(new Unregister()); // closed while registering
        }
        cacheView = view;
        List<Long> cachedOffsets = view.cached().stream().map(RoomEvent::offset).toList();
        ResumePlanner.Lookup lookup = ResumePlanner.start(from, epoch, view.offset(), view.cacheCoversFrom(), cachedOffsets);
        if (lookup instanceof ResumePlanner.Lookup.Done done) {
            return begin(done.plan());
        }
        if (lookup instanceof ResumePlanner.Lookup.OffsetForTime time) {
            // Other rooms share the partition, and the log finds the first record of any room at or
            // after the time: this room's older events after it are skipped, in the first catch-up only.
            notBefore = time.timestamp();
        }
        return List.of(new Lookup(lookup, view.offset()));
    }

    /** The log answered the lookup. */
    List<HandoverStep> lookedUp(long answer) {
        if (state == State.CLOSED) {
            return NONE;
        }
        return begin(ResumePlanner.withLookup(from, epoch, cacheView.offset(), answer));
    }

    private List<HandoverStep> begin(ResumePlan plan) {
        cursor = plan.readFrom();
        lastDelivered = plan.readFrom() - 1;
        return List.of(new HandoverStep.SendSubscribed(plan), new Continue(Then.CATCH_UP));
    }

    /** Work that waited for the sink (or for a retry) goes on; {@code free} is how many event frames the sink takes now. */
    List<HandoverStep> resume(Then then, int free) {
        return switch (then) {
            case CATCH_UP -> {
                catchUpWaiting = false;
                yield catchUp(free);
            }
            case PUMP -> pump();
            case RECAPTURE -> state == State.LAGGING ? List.of(new Recapture()) : NONE;
        };
    }

    /** A new L was fixed after an overflow or a fall-behind ({@link #handoverFixed} ran): catch up to it. */
    List<HandoverStep> recaptured(Handover view, int free) {
        if (state != State.CATCHING_UP) {
            return NONE;
        }
        cacheView = view;
        return catchUp(free);
    }

    /** The history read {@code read} answered. */
    List<HandoverStep> historyRead(ReadHistory read, HistoryChunk chunk, int free) {
        if (state != State.CATCHING_UP || !read.equals(reading)) {
            return NONE; // closed meanwhile, or a fall-behind moved the cursor back since the read was asked
        }
        reading = null;
        readFailures = 0;
        if (!chunk.events().isEmpty()) {
            if (readAhead == null) {
                readAhead = new ArrayDeque<>(chunk.events());
            } else {
                readAhead.addAll(chunk.events());
            }
        }
        cursor = Math.max(cursor, chunk.next());
        return catchUp(free);
    }

    /** The history read {@code read} failed: retried after a growing delay, a few times in a row at most. */
    List<HandoverStep> readFailed(ReadHistory read, Throwable error) {
        if (state != State.CATCHING_UP || !read.equals(reading)) {
            return NONE;
        }
        reading = null;
        readFailures++;
        if (readFailures > readAttempts) {
            return fail(error);
        }
        return List.of(new RetryRead(readFailures * RETRY_DELAY_MILLIS));
    }

    /**
     * Each round sends what the sink has room for, from events already read, from the cache, or asks
     * for one read; once history reaches L it switches to live. While the sink drains, the next read
     * is already asked for (once nothing read waits), so the log and the socket work at once.
     */
    private List<HandoverStep> catchUp(int free) {
        List<HandoverStep> out = new ArrayList<>(2);
        while (state == State.CATCHING_UP) {
            if (cursor >= handover && readAhead == null) {
                switchToLive(out);
                break;
            }
            if (free <= 0) {
                readAhead(out);
                if (!catchUpWaiting) {
                    catchUpWaiting = true;
                    out.add(new WaitForSpace(Then.CATCH_UP));
                }
                break;
            }
            if (readAhead != null) {
                List<RoomEvent> batch = new ArrayList<>(Math.min(free, readAhead.size()));
                while (batch.size() < free && !readAhead.isEmpty()) {
                    batch.add(readAhead.pollFirst());
                }
                if (readAhead.isEmpty()) {
                    readAhead = null;
                }
                free -= sendHistory(batch, Long.MIN_VALUE, false, out);
            } else if (reading != null) {
                break; // its answer goes on
            } else if (cacheView.cacheCoversFrom() <= cursor) {
                free -= sendFromCache(free, out);
            } else {
                reading = new ReadHistory(cursor, handover, readChunk);
                out.add(reading);
                break;
            }
        }
        return out;
    }

    /**
     * Asks for the next chunk of the log while the sink is full and nothing read waits. Always whole chunks, so
     * subscriptions catching up from the same offset ask for the same chunks ({@link SharedReads}).
     */
    private void readAhead(List<HandoverStep> out) {
        if (reading == null && cursor < handover && readAhead == null && cacheView.cacheCoversFrom() > cursor) {
            reading = new ReadHistory(cursor, handover, readChunk);
            out.add(reading);
        }
    }

    private int sendFromCache(int free, List<HandoverStep> out) {
        List<RoomEvent> batch = new ArrayList<>(Math.min(free, 64));
        long next = handover;
        for (RoomEvent e : cacheView.cached()) {
            if (e.offset() < cursor || e.offset() >= handover) {
                continue;
            }
            if (batch.size() == free) {
                next = e.offset();
                break;
            }
            batch.add(e);
        }
        return sendHistory(batch, next, true, out);
    }

    /**
     * Sends history events and moves the cursor to at least {@code next}; returns the frames sent.
     * Events at or below the last delivered offset, or older than a {@code from: time} start, are skipped.
     */
    private int sendHistory(List<RoomEvent> batch, long next, boolean fromCache, List<HandoverStep> out) {
        List<AnswerCompactor.Output> frames = new ArrayList<>(batch.size());
        for (RoomEvent e : batch) {
            if (e.offset() <= lastDelivered || e.timestamp() < notBefore) {
                continue;
            }
            notBefore = Long.MIN_VALUE;
            if (compactor == null) {
                frames.add(new AnswerCompactor.Pass(e));
            } else {
                frames.addAll(compactor.offer(e)); // a held token counts as delivered: it goes out in a partial before live
            }
            lastDelivered = e.offset();
        }
        cursor = Math.max(cursor, next);
        if (!frames.isEmpty()) {
            out.add(new SendHistory(frames, fromCache));
        }
        return frames.size();
    }

    private void switchToLive(List<HandoverStep> out) {
        if (buffer.overflowed()) {
            out.add(new HandoverOverflowed());
            out.add(new Recapture());
            return;
        }
        if (compactor != null) {
            // Exactly the tokens at or below lastDelivered: the buffered live events above it follow.
            compactor.finish().forEach(p -> out.add(new SendPartial(p)));
            compactor = null;
        }
        if (!liveSent) {
            out.add(new SendLive(Math.max(handover - 1, lastDelivered)));
            liveSent = true;
        }
        List<RoomEvent> buffered = buffer.drainAbove(lastDelivered);
        switching = buffered.isEmpty() ? null : new ArrayDeque<>(buffered);
        buffer = null;
        // What the catch-up needed is sent: the cache snapshot is released, and a time start's skip
        // ends here, so a later lossless catch-up skips nothing.
        cacheView = null;
        notBefore = Long.MIN_VALUE;
        state = State.LIVE;
        offerNextBuffered(out);
    }

    /** Offers the next buffered event of a switch to live; drop policies hold it when the window is not clear. */
    private void offerNextBuffered(List<HandoverStep> out) {
        RoomEvent e;
        while (switching != null && (e = switching.pollFirst()) != null) {
            if (switching.isEmpty()) {
                switching = null;
            }
            if (policy == BackpressurePolicy.LOSSLESS || window.isClear()) {
                offering = BUFFERED;
                out.add(new Offer(e));
                return;
            }
            hold(e, out);
        }
    }

    /**
     * A live event, on the live tail's thread. For a live subscriber whose event may go straight out
     * this returns the constant {@link #OFFER_RECEIVED} and changes only the outstanding offer.
     */
    List<HandoverStep> live(RoomEvent event) {
        switch (state) {
            case CATCHING_UP -> {
                buffer.offer(event); // an overflow is noticed when history reaches L
                return NONE;
            }
            case LIVE -> {
                if (event.offset() <= lastDelivered) {
                    return NONE;
                }
                if (policy == BackpressurePolicy.LOSSLESS || window.isClear()) {
                    offering = RECEIVED;
                    return OFFER_RECEIVED;
                }
                List<HandoverStep> out = new ArrayList<>(2);
                hold(event, out);
                return out;
            }
            default -> {
                return NONE;
            }
        }
    }

    /** The sink's answer to the outstanding offer of {@code e}: {@code accepted}, or refused because it is full. */
    List<HandoverStep> offered(RoomEvent e, boolean accepted) {
        byte where = offering;
        if (where == NO_OFFER) {
            throw new IllegalStateException("no offer is outstanding");
        }
        offering = NO_OFFER;
        if (accepted) {
            lastDelivered = e.offset();
            if (where == RECEIVED) {
                return NONE;
            }
            List<HandoverStep> out = new ArrayList<>(2);
            if (where == BUFFERED) {
                offerNextBuffered(out);
            } else {
                window.poll();
                offerNextHeld(out);
            }
            return out;
        }
        List<HandoverStep> out = new ArrayList<>(3);
        if (policy == BackpressurePolicy.LOSSLESS) {
            fallBehind(out);
        } else if (where == WINDOW) {
            pumpScheduled = true;
            out.add(new WaitForSpace(Then.PUMP));
        } else {
            hold(e, out);
            if (where == BUFFERED) {
                offerNextBuffered(out);
            }
        }
        return out;
    }

    /** Lossless: stop live delivery and catch up from the last delivered offset once the sink drains. */
    private void fallBehind(List<HandoverStep> out) {
        state = State.LAGGING;
        buffer = null;
        reading = null;
        readAhead = null;
        switching = null;
        cursor = lastDelivered + 1;
        out.add(new Lagging());
        out.add(new WaitForSpace(Then.RECAPTURE));
    }

    /** Drop policies: keep the event in the bounded window, dropping the oldest when it is full. */
    private void hold(RoomEvent event, List<HandoverStep> out) {
        if (window.add(event)) {
            out.add(new Dropped(1));
        }
        if (!pumpScheduled) {
            pumpScheduled = true;
            out.add(new WaitForSpace(Then.PUMP));
        }
    }

    /** Drop policies, once the sink drained: report what was dropped, then offer what waits. */
    private List<HandoverStep> pump() {
        pumpScheduled = false;
        if (state != State.LIVE) {
            return NONE;
        }
        List<HandoverStep> out = new ArrayList<>(2);
        DropWindow.Dropped dropped = window.takeDropped();
        if (dropped != null) {
            out.add(new SendDropped(dropped.count(), dropped.first(), dropped.last()));
        }
        offerNextHeld(out);
        return out;
    }

    private void offerNextHeld(List<HandoverStep> out) {
        RoomEvent next = window.peek();
        if (next != null) {
            offering = WINDOW;
            out.add(new Offer(next));
        }
    }

    /** The owner closes the subscription. */
    List<HandoverStep> close() {
        return end() ? List.of(new Unregister()) : NONE;
    }

    /** The subscription cannot go on (the log unreachable for too long, the worker refusing work). */
    List<HandoverStep> fail(Throwable cause) {
        return end() ? List.of(new Unregister(), new Failed(cause)) : NONE;
    }

    /** The live tail lost its place in the partition and dropped this listener. */
    List<HandoverStep> liveLost(String reason) {
        return end() ? List.of(new ForgetTopics(), new Failed(new LivePositionLostException(reason))) : NONE;
    }

    /** The room's epoch is not the one this subscription started in: it ends, so the client resumes and learns the gap. */
    List<HandoverStep> epochChanged(Epoch current) {
        return fail(new LivePositionLostException("the room's epoch changed from " + epoch.value() + " to " + current.value()
                + " (topic re-created or partitions added)"));
    }

    private boolean end() {
        if (state == State.CLOSED) {
            return false;
        }
        state = State.CLOSED;
        if (compactor != null) {
            compactor.discard();
            compactor = null;
        }
        buffer = null;
        cacheView = null;
        offering = NO_OFFER;
        reading = null;
        readAhead = null;
        switching = null;
        return true;
    }

    BackpressurePolicy policy() {
        return policy;
    }

    boolean closed() {
        return state == State.CLOSED;
    }

    State state() {
        return state;
    }

    String stateName() {
        return STATE_NAMES[state.ordinal()];
    }

    long lastDelivered() {
        return lastDelivered;
    }

    /** Live events waiting in a drop policy's window. */
    int pending() {
        return window == null ? 0 : window.size();
    }

    /** History events read and not yet sent. */
    int readAhead() {
        return readAhead == null ? 0 : readAhead.size();
    }
}
