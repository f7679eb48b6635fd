package io.roomcast.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A presence subscription's member list, kept across resubscribes (docs/protocol.md, {@code sync}): after every
 * {@code subscribed} the edge names everyone present again as joins, up to {@code sync}. A member kept from before
 * whom it names again stayed (no join to report); one it has not named by {@code sync} left meanwhile (a leave).
 *
 * <p>Not thread-safe: owned by the client's loop thread.
 */
final class RoomMembers {
    private static final Comparator<Member> LONGEST_PRESENT_FIRST =
            Comparator.comparingLong(Member::since).thenComparing(Member::client);

    private final Map<String, Member> members = new LinkedHashMap<>();
    /** Client ids listed before the last {@code subscribed} that the edge has not named again yet. */
    private final Set<String> stale = new HashSet<>();
    /** Between a resubscribe's {@code subscribed} and its {@code sync}: the list may still hold members who left. */
    private boolean relisting;

    /** A {@code subscribed}: the members listed so far wait to be named again. */
    void relist() {
        stale.clear();
        stale.addAll(members.keySet());
        relisting = !stale.isEmpty();
    }

    /** Whether a resubscribe's relisting is under way: the list is told at {@code sync}, not before. */
    boolean relisting() {
        return relisting;
    }

    /** Applies a {@code join} ({@code joined}) or {@code leave}; false when it is no change to report. */
    boolean apply(boolean joined, Member member) {
        boolean stayed = stale.remove(member.client()) && joined;
        if (joined) {
            members.put(member.client(), member);
        } else {
            members.remove(member.client());
        }
        return !stayed;
    }

    /** A {@code sync}: removes the members kept from before that the edge did not name, and returns them. */
    List<Member> sync() {
        List<Member> gone = new ArrayList<>(stale.size());
        stale.forEach(client -> gone.add(members.remove(client)));
        stale.clear();
        relisting = false;
        gone.sort(LONGEST_PRESENT_FIRST);
        return gone;
    }

    /**
     * A {@code presence} notice: above the edge's listing limit only a count is known ({@code listed} null); back at
     * the limit the edge names everyone once.
     */
    void replace(List<Member> listed) {
        members.clear();
        stale.clear();
        relisting = false;
        if (listed != null) {
            listed.forEach(m -> members.put(m.client(), m));
        }
    }

    /** The members, longest present first. */
    List<Member> list() {
        return members.values().stream().sorted(LONGEST_PRESENT_FIRST).toList();
    }
}
