package io.roomcast.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The subscriptions of one client, by room (at most one per room, as on the wire, and at most {@code max}), and the
 * subscribe requests awaiting their answer, by request id. {@link #add} and {@link #remove} are called from
 * application threads; everything else is owned by the client's loop.
 */
final class SubscriptionTable {

    private final int max;
    private final Map<String, RoomSubscription> byRoom = new ConcurrentHashMap<>();
    private final Map<Long, RoomSubscription> pendingById = new HashMap<>();

    SubscriptionTable(int max) {
        this.max = max;
    }

    /** Registers a new subscription; refuses a second one for the same room and one above the limit. */
    synchronized void add(RoomSubscription sub) {
        if (byRoom.containsKey(sub.room())) {
            throw new IllegalStateException("already subscribed to " + sub.room() + " (one subscription per room)");
        }
        if (byRoom.size() >= max) {
            throw new RoomcastException(ErrorCode.LIMIT_EXCEEDED, "at most " + max + " subscriptions per client");
        }
        byRoom.put(sub.room(), sub);
    }

    synchronized void remove(RoomSubscription sub) {
        byRoom.remove(sub.room(), sub);
    }

    RoomSubscription get(String room) {
        return byRoom.get(room);
    }

    Collection<RoomSubscription> all() {
        return List.copyOf(byRoom.values());
    }

    /** A subscribe with request id {@code id} was sent for {@code sub}. */
    void pending(RoomSubscription sub, long id) {
        sub.pending(id);
        pendingById.put(id, sub);
    }

    /** The subscription whose subscribe request {@code id} is answered now, or null when it is not one of ours. */
    RoomSubscription answered(Long id) {
        return id == null ? null : pendingById.remove(id);
    }

    /** The subscription whose subscribe request {@code id} is still unanswered (a {@code snapshot} precedes the answer). */
    RoomSubscription awaiting(Long id) {
        return id == null ? null : pendingById.get(id);
    }

    /** Stops waiting for the answer to {@code sub}'s request (it was unsubscribed). */
    void forget(RoomSubscription sub) {
        pendingById.remove(sub.requestId(), sub);
        sub.reset();
    }

    /** The connection is gone: no answer will come, and every subscription must subscribe again on the next one. */
    void connectionLost() {
        pendingById.clear();
        byRoom.values().forEach(RoomSubscription::reset);
    }

    /** Removes and returns every subscription (the client closes). */
    synchronized List<RoomSubscription> removeAll() {
        List<RoomSubscription> all = new ArrayList<>(byRoom.values());
        byRoom.clear();
        pendingById.clear();
        return all;
    }
}
