package io.roomcast.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The {@code presence} questions of one client: waiting for a connection, then sent and waiting for their answer, at
 * most {@code limit} at once. A question is safe to repeat, so one whose connection was lost is asked again on the
 * next. Not thread-safe: owned by the client's loop.
 */
final class PresenceQueries {

    /** One question; {@code id} is 0 until it is sent. */
    static final class Query {
        private final String room;
        private final CompletableFuture<Presence> result;
        private final Instant deadline;
        private long id;

        Query(String room, CompletableFuture<Presence> result, Instant deadline) {
            this.room = room;
            this.result = result;
            this.deadline = deadline;
        }

        String room() {
            return room;
        }

        CompletableFuture<Presence> result() {
            return result;
        }

        long id() {
            return id;
        }
    }

    private final int limit;
    private final List<Query> unsent = new ArrayList<>();
    private final Map<Long, Query> sent = new HashMap<>();

    PresenceQueries(int limit) {
        this.limit = limit;
    }

    /** A new question, or null when {@code limit} are unanswered already. */
    Query add(String room, CompletableFuture<Presence> result, Instant deadline) {
        if (unsent.size() + sent.size() >= limit) {
            return null;
        }
        Query q = new Query(room, result, deadline);
        unsent.add(q);
        return q;
    }

    /** The questions to send now, each given a fresh request id. */
    List<Query> drainForSending(LongSupplier ids) {
        List<Query> out = new ArrayList<>(unsent);
        unsent.clear();
        for (Query q : out) {
            q.id = ids.getAsLong();
            sent.put(q.id, q);
        }
        return out;
    }

    /** The question request {@code id} asked, now answered, or null when it is not one. */
    Query answered(Long id) {
        return id == null ? null : sent.remove(id);
    }

    void connectionLost() {
        unsent.addAll(0, sent.values());
        sent.clear();
    }

    /** Removes and returns the questions past their deadline. */
    List<Query> expired(Instant now) {
        List<Query> out = new ArrayList<>();
        for (Iterator<Query> it = unsent.iterator(); it.hasNext(); ) {
            Query q = it.next();
            if (now.isAfter(q.deadline)) {
                it.remove();
                out.add(q);
            }
        }
        sent.values().removeIf(q -> {
            if (now.isAfter(q.deadline)) {
                out.add(q);
                return true;
            }
            return false;
        });
        return out;
    }

    List<Query> removeAll() {
        List<Query> out = new ArrayList<>(unsent);
        out.addAll(sent.values());
        unsent.clear();
        sent.clear();
        return out;
    }
}
