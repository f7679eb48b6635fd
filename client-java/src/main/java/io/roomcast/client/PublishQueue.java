package io.roomcast.client;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The publishes of one client that are not finished: queued (not sent yet, waiting for a connection) and in flight
 * (sent, waiting for {@code ack}). Bounded: {@link #tryReserve()} takes one of {@code limit} slots before a publish is
 * created, from any thread, so a burst of calls cannot grow anything beyond the limit; every way out of the queue
 * gives the slot back (a publish resent after a lost connection keeps its slot). All other methods are owned by the
 * client's loop.
 */
final class PublishQueue {

    private final int limit;
    private final AtomicInteger reserved = new AtomicInteger();
    private final Deque<PendingPublish> queued = new ArrayDeque<>();
    private final Map<Long, PendingPublish> inFlight = new LinkedHashMap<>();

    /** A publish taken out unfinished; {@code sent}: it was in flight, so it may have been written. */
    record Unfinished(PendingPublish publish, boolean sent) {
        /** Whether it may have been written: sent, or a retry of an attempt that was. */
        boolean maybeWritten() {
            return sent || publish.retry();
        }
    }

    PublishQueue(int limit) {
        this.limit = limit;
    }

    /** Takes a slot; false when {@code limit} publishes are already unfinished. Thread-safe. */
    boolean tryReserve() {
        return reserved.getAndUpdate(n -> n < limit ? n + 1 : n) < limit;
    }

    /** Gives back a slot taken by {@link #tryReserve()} for a publish that was never enqueued. Thread-safe. */
    void unreserve() {
        reserved.decrementAndGet();
    }

    /** Slots taken. Thread-safe. */
    int size() {
        return reserved.get();
    }

    /** Adds a publish (its slot already reserved) behind the queued ones. */
    void enqueue(PendingPublish publish) {
        queued.addLast(publish);
    }

    /** Moves every queued publish to in flight and returns them in call order, to be sent now. */
    List<PendingPublish> drainForSending() {
        List<PendingPublish> out = new ArrayList<>(queued);
        for (PendingPublish p : queued) {
            inFlight.put(p.id(), p);
        }
        queued.clear();
        return out;
    }

    /** Moves the first queued publish to in flight and returns it, to be sent now; there must be one. */
    PendingPublish takeForSending() {
        PendingPublish p = queued.removeFirst();
        inFlight.put(p.id(), p);
        return p;
    }

    /** The in-flight publish answered by {@code id} ({@code ack} or {@code error}), removed; null when unknown. */
    PendingPublish answered(Long id) {
        PendingPublish p = id == null ? null : inFlight.remove(id);
        release(p);
        return p;
    }

    /**
     * The edge answered the in-flight publish {@code id} with {@code outcome_unknown}: the write may still land. With an
     * event id it goes back to the front of the queue marked {@code retry}, keeping its slot and deadline, and true is
     * returned: the edge answers the retry once the first attempt has settled. Without one, or when it already was a
     * retry, it stays in flight (false), to fail: a retry answered {@code outcome_unknown} is one the edge could not
     * look up (too much to read in its window), and resending it at once would only ask again, as the JavaScript
     * client does not either.
     */
    boolean resendAsRetry(Long id) {
        PendingPublish p = id == null ? null : inFlight.get(id);
        if (p == null || !p.resendable() || p.retry()) {
            return false;
        }
        inFlight.remove(id);
        queued.addFirst(p.asRetry());
        return true;
    }

    /**
     * The connection broke before the in-flight publishes were acked; each may or may not be written. Those with an
     * event id go back to the front of the queue, in call order and marked {@code retry}, keeping their slots and
     * deadlines: the edge that takes them acks an earlier write instead of writing again. The others cannot be told
     * apart from a new event, so a resend could write them twice: they are removed and returned, to fail.
     */
    List<PendingPublish> connectionLost() {
        List<PendingPublish> lost = new ArrayList<>();
        List<PendingPublish> resend = new ArrayList<>();
        for (PendingPublish p : inFlight.values()) {
            if (p.resendable()) {
                resend.add(p.asRetry());
            } else {
                lost.add(p);
            }
        }
        inFlight.clear();
        lost.forEach(this::release);
        for (int i = resend.size() - 1; i >= 0; i--) {
            queued.addFirst(resend.get(i)); // ahead of publishes made after them
        }
        return lost;
    }

    /** Publishes whose deadline is at or before {@code now}, removed. */
    List<Unfinished> expired(Instant now) {
        List<Unfinished> out = new ArrayList<>();
        removeExpired(queued.iterator(), now, false, out);
        removeExpired(inFlight.values().iterator(), now, true, out);
        return out;
    }

    /** Everything unfinished, removed (the client closes). */
    List<Unfinished> removeAll() {
        List<Unfinished> out = new ArrayList<>();
        queued.forEach(p -> out.add(new Unfinished(p, false)));
        inFlight.values().forEach(p -> out.add(new Unfinished(p, true)));
        queued.clear();
        inFlight.clear();
        out.forEach(u -> release(u.publish()));
        return out;
    }

    int queuedCount() {
        return queued.size();
    }

    int inFlightCount() {
        return inFlight.size();
    }

    private void removeExpired(Iterator<PendingPublish> it, Instant now, boolean sent, List<Unfinished> out) {
        while (it.hasNext()) {
            PendingPublish p = it.next();
            if (!p.deadline().isAfter(now)) {
                it.remove();
                release(p);
                out.add(new Unfinished(p, sent));
            }
        }
    }

    private void release(PendingPublish p) {
        if (p != null) {
            reserved.decrementAndGet();
        }
    }
}
