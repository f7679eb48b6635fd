package io.roomcast.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One Kafka partition in memory, shared by fake edges the way real edges share Kafka: every room lives in it, so a
 * room's offsets increase but are not contiguous. Its lock also orders history against live fan-out, which gives the
 * fake edges an exact hand-over. Retention and epoch changes can be simulated.
 */
final class FakeLog {

    record Entry(String room, long offset, String type, long ts, JsonNode data, String eventId) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final List<Consumer<Entry>> tails = new CopyOnWriteArrayList<>();
    private long nextOffset;
    private long firstRetained;
    private String epoch = "E1";

    synchronized long append(String room, String type, JsonNode data, String eventId) {
        Entry e = new Entry(room, nextOffset++, type, System.currentTimeMillis(), data, eventId);
        entries.add(e);
        for (Consumer<Entry> tail : tails) {
            tail.accept(e);
        }
        return e.offset();
    }

    /** Runs {@code action} with the log held still: no append happens meanwhile. */
    synchronized <T> T atomically(java.util.function.Supplier<T> action) {
        return action.get();
    }

    void addTail(Consumer<Entry> tail) {
        tails.add(tail);
    }

    void removeTail(Consumer<Entry> tail) {
        tails.remove(tail);
    }

    synchronized String epoch() {
        return epoch;
    }

    /** A new history: the topic was re-created. */
    synchronized void newEpoch(String newEpoch) {
        epoch = newEpoch;
        entries.clear();
        nextOffset = 0;
        firstRetained = 0;
    }

    /** Retention deleted everything below {@code offset}. */
    synchronized void trimBefore(long offset) {
        entries.removeIf(e -> e.offset() < offset);
        firstRetained = Math.max(firstRetained, offset);
    }

    synchronized long firstRetained() {
        return firstRetained;
    }

    /** The last offset of the partition, -1 when empty (the protocol's live offset). */
    synchronized long endOffset() {
        return nextOffset - 1;
    }

    synchronized List<Entry> room(String room) {
        return entries.stream().filter(e -> e.room().equals(room)).toList();
    }
}
