package io.roomcast.edge.session;

import io.micrometer.core.instrument.DistributionSummary;
import io.roomcast.edge.auth.Decision;
import io.roomcast.edge.protocol.ErrorCode;
import io.roomcast.edge.subscription.Subscription;
import io.roomcast.edge.subscription.SubscriptionStatus;
import io.roomcast.room.RoomName;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * One connection's subscriptions: at most one per room and at most {@code limit} in all. A
 * subscribe reserves its room's {@link Slot} at once (so a second subscribe in the same batch is
 * refused) and fills it once the room is located. Closing the table empties it and hands back
 * the slots, which the caller ends off the IO thread.
 *
 * <p>Thread-safety: safe for concurrent use. Reservations come from the IO thread only, so
 * {@link #admit} followed by {@link #reserve} is not racy; removals come from any thread.
 */
final class SubscriptionTable {
    private final int limit;
    // Sized for the usual one or two rooms: the default table (16 slots) was 48 bytes more per idle connection.
    private final Map<RoomName, Slot> slots = new ConcurrentHashMap<>(2);
    private volatile boolean closed;
    /**
     * Unsubscribes being carried out, by room: until one is answered, the room's next subscription
     * waits. Guarded by {@code this}; made at the first unsubscribe, as most connections never make one.
     */
    private Map<RoomName, CompletableFuture<Void>> leaving;

    /** {@code limit}: the most subscriptions one connection may hold. */
    SubscriptionTable(int limit) {
        this.limit = limit;
    }

    /** Whether a subscription to {@code room} may be reserved: not already subscribed, below the limit, not closed. IO thread. */
    Decision admit(RoomName room) {
        if (closed) {
            return Decision.deny(ErrorCode.UNAVAILABLE, "the connection is closing");
        }
        if (slots.containsKey(room)) {
            return Decision.deny(ErrorCode.BAD_REQUEST, "already subscribed to " + room);
        }
        if (slots.size() >= limit) {
            return Decision.deny(ErrorCode.LIMIT_EXCEEDED, "at most " + limit + " subscriptions per connection");
        }
        return Decision.allow();
    }

    /** Reserves {@code room}'s slot (after {@link #admit} allowed it). IO thread. */
    Slot reserve(RoomName room) {
        Slot slot = new Slot();
        slots.put(room, slot);
        return slot;
    }

    /** Removes and returns {@code room}'s slot, or null when not subscribed. Any thread. */
    Slot remove(RoomName room) {
        return slots.remove(room);
    }

    /** Removes {@code room}'s slot if it is still {@code slot}: true when this call removed it. Any thread. */
    boolean remove(RoomName room, Slot slot) {
        return slots.remove(room, slot);
    }

    /** Whether {@code slot} is still {@code room}'s (not unsubscribed, failed or closed meanwhile). Any thread. */
    boolean holds(RoomName room, Slot slot) {
        return slots.get(room) == slot;
    }

    /** The unsubscribe of {@code room} being carried out, or null. IO thread. */
    synchronized CompletableFuture<Void> leaving(RoomName room) {
        return leaving == null ? null : leaving.get(room);
    }

    /** An unsubscribe of {@code room} starts; complete it with {@link #left} once it is answered. IO thread. */
    synchronized CompletableFuture<Void> leave(RoomName room) {
        CompletableFuture<Void> left = new CompletableFuture<>();
        if (leaving == null) {
            leaving = new HashMap<>(4);
        }
        leaving.put(room, left);
        return left;
    }

    /** The unsubscribe {@code left} of {@code room} is answered: the subscriptions waiting for it go on. Any thread. */
    void left(RoomName room, CompletableFuture<Void> left) {
        synchronized (this) {
            leaving.remove(room, left);
        }
        left.complete(null);
    }

    /** Calls {@code action} for each room and its slot. Any thread. */
    void forEach(BiConsumer<RoomName, Slot> action) {
        slots.forEach(action);
    }

    /** The filled subscriptions' statuses. Any thread (the heartbeat sweep, the admin endpoint). */
    List<SubscriptionStatus> statuses() {
        return slots.values().stream().map(Slot::status).filter(Objects::nonNull).toList();
    }

    /** Samples every filled subscription's lag into {@code lag}; returns their read-ahead total. The heartbeat sweep. */
    long sampleLag(DistributionSummary lag) {
        long readAhead = 0;
        for (Slot slot : slots.values()) {
            readAhead += slot.sampleLag(lag);
        }
        return readAhead;
    }

    /** The filled subscriptions. Any thread. */
    List<Subscription> subscriptions() {
        return slots.values().stream().map(Slot::subscription).filter(Objects::nonNull).toList();
    }

    /** Rooms held or being set up. Any thread. */
    int size() {
        return slots.size();
    }

    /**
     * Closes the table: no more reservations, and every slot is taken out and returned for the caller
     * to {@link Slot#end end} (off the IO thread: ending takes a subscription's lock). Any thread.
     */
    List<Slot> close() {
        closed = true;
        List<Slot> all = List.copyOf(slots.values());
        all.forEach(slot -> slots.values().remove(slot));
        return all;
    }

    /** A room's place in the table: reserved at subscribe, filled once the room is located, ended once. */
    static final class Slot {
        /** Completes once the subscribe that reserved the slot is answered: {@code subscribed} or refused. */
        private final CompletableFuture<Void> answered = new CompletableFuture<>();
        private Subscription subscription;
        private boolean ended;

        /** The subscribe was answered (or will never be: its connection closed). Any thread; runs no waiting work. */
        void answered() {
            answered.complete(null);
        }

        /** Completes once the subscribe is answered; an unsubscribe ends the slot only after that. Any thread. */
        CompletableFuture<Void> whenAnswered() {
            return answered;
        }

        /** Fills the slot; false when it ended meanwhile (the caller closes {@code s}). Worker thread. */
        synchronized boolean fill(Subscription s) {
            if (ended) {
                return false;
            }
            subscription = s;
            return true;
        }

        /** The subscription once filled, null before or once ended. Any thread. */
        synchronized Subscription subscription() {
            return ended ? null : subscription;
        }

        /** The subscription's status once filled, null before or once ended. Any thread. */
        synchronized SubscriptionStatus status() {
            return subscription == null || ended ? null : subscription.status();
        }

        /** See {@link Subscription#sampleLag}; nothing before the slot is filled or once it ended. The heartbeat sweep. */
        synchronized int sampleLag(DistributionSummary lag) {
            return subscription == null || ended ? 0 : subscription.sampleLag(lag);
        }

        /** Ends the slot and closes its subscription, if any. Worker thread (never the IO thread). */
        synchronized void end() {
            ended = true;
            if (subscription != null) {
                subscription.close();
            }
        }
    }
}
