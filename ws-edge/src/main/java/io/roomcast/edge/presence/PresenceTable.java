package io.roomcast.edge.presence;

import io.roomcast.room.RoomName;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Who is in which room, as the leases read from the presence topic say: pure state, no Kafka, no
 * clock of its own. A lease expires at {@code min(written, read) + ttl} (the writer's and reader's
 * clocks may disagree; the earlier time is the safer one); a tombstone removes it at once.
 *
 * <p>Bounded: at most {@code maxLeases} leases; further new ones are ignored and counted.
 * Not thread-safe: {@link Presence} guards it.
 */
final class PresenceTable {
    /** A member came ({@code joined}) or went; {@code count} is the room's size after the change. */
    record Change(RoomName room, Member member, boolean joined, int count) {
    }

    private record Entry(Member member, long expiresAt, int partition) {
    }

    private final Map<RoomName, Map<String, Entry>> rooms = new HashMap<>();
    private final int maxLeases;
    private int size;
    private long refused;

    PresenceTable(int maxLeases) {
        this.maxLeases = maxLeases;
    }

    /** Applies one record; {@code member} null is a tombstone. Returns the change it made, or null. */
    Change apply(int partition, RoomName room, String client, Member member, long writtenAt, long readAt, long ttlMs) {
        Map<String, Entry> members = rooms.get(room);
        if (member == null) {
            Entry gone = members == null ? null : members.remove(client);
            return gone == null ? null : removed(room, members, gone);
        }
        long expiresAt = Math.min(writtenAt, readAt) + ttlMs;
        if (expiresAt <= readAt) {
            return null; // an old lease read late (catching up): it already expired
        }
        if (members == null) {
            members = new HashMap<>();
        }
        Entry before = members.get(client);
        if (before == null && size >= maxLeases) {
            refused++;
            return null;
        }
        members.put(client, new Entry(member, expiresAt, partition));
        rooms.putIfAbsent(room, members);
        if (before != null) {
            return null; // a renewal
        }
        size++;
        return new Change(room, member, true, members.size());
    }

    /** Removes every lease that expired at {@code now}. */
    List<Change> expire(long now) {
        List<Change> changes = new ArrayList<>();
        for (Iterator<Map.Entry<RoomName, Map<String, Entry>>> rs = rooms.entrySet().iterator(); rs.hasNext(); ) {
            Map.Entry<RoomName, Map<String, Entry>> room = rs.next();
            for (Iterator<Entry> es = room.getValue().values().iterator(); es.hasNext(); ) {
                Entry e = es.next();
                if (e.expiresAt <= now) {
                    es.remove();
                    size--;
                    changes.add(new Change(room.getKey(), e.member, false, room.getValue().size()));
                }
            }
            if (room.getValue().isEmpty()) {
                rs.remove();
            }
        }
        return changes;
    }

    /** Forgets the leases of a partition that is not read any more, without reporting changes. */
    void release(int partition) {
        for (Iterator<Map<String, Entry>> rs = rooms.values().iterator(); rs.hasNext(); ) {
            Map<String, Entry> members = rs.next();
            int before = members.size();
            members.values().removeIf(e -> e.partition == partition);
            size -= before - members.size();
            if (members.isEmpty()) {
                rs.remove();
            }
        }
    }

    /** The room's members, longest present first. */
    List<Member> members(RoomName room) {
        Map<String, Entry> members = rooms.get(room);
        if (members == null) {
            return List.of();
        }
        List<Member> out = new ArrayList<>(members.size());
        members.values().forEach(e -> out.add(e.member));
        out.sort(Comparator.comparingLong(Member::since).thenComparing(Member::client));
        return out;
    }

    int count(RoomName room) {
        Map<String, Entry> members = rooms.get(room);
        return members == null ? 0 : members.size();
    }

    int size() {
        return size;
    }

    long refused() {
        return refused;
    }

    private Change removed(RoomName room, Map<String, Entry> members, Entry gone) {
        size--;
        if (members.isEmpty()) {
            rooms.remove(room);
        }
        return new Change(room, gone.member, false, members.size());
    }
}
