package io.roomcast.edge.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.edge.limit.RateLimit;
import io.roomcast.edge.session.FrameSink;
import io.roomcast.room.RoomName;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The presence of one connection: the rooms it is present in, the members it has told its client
 * about (so a join or leave is never sent twice, whichever of the snapshot and the live change
 * comes first), and its presence write budget.
 *
 * <p>Thread-safety: safe for concurrent use; frames go out through {@link FrameSink#force}, which
 * does not block (they are bounded by the rate of presence changes, which is limited per connection).
 */
public final class SessionPresence implements PresenceListener {
    private final Presence presence;
    private final String sessionId;
    private final FrameSink outbound;
    private final Clock clock;
    /** Made at the first use of presence: most connections never use it, and an idle one should stay small. Guarded by {@code this}. */
    private InUse inUse;

    /**
     * The state of a connection that uses presence.
     *
     * @param known per room this connection is present in: the clients its client was told about
     */
    private record InUse(String client, RateLimit writes, Map<RoomName, Set<String>> known) {
    }

    public SessionPresence(Presence presence, String sessionId, FrameSink outbound, Clock clock) {
        this.presence = presence;
        this.sessionId = sessionId;
        this.outbound = outbound;
        this.clock = clock;
    }

    private synchronized InUse inUse() {
        if (inUse == null) {
            inUse = new InUse(presence.clientId(sessionId), new RateLimit(presence.config().writesPerSecond()), new ConcurrentHashMap<>());
        }
        return inUse;
    }

    /** The state if this connection has used it; null otherwise. */
    private synchronized InUse inUseIfMade() {
        return inUse;
    }

    /**
     * Who this connection is in a room: a verified token's subject and name claim; otherwise the
     * name the client chose ({@code requestedName}, may be null), validated and marked unverified.
     *
     * @throws IllegalArgumentException when the chosen name is not acceptable
     */
    public Member member(String user, String verifiedName, String requestedName) {
        long now = clock.millis();
        String client = inUse().client();
        String claimed = claimedName(verifiedName);
        if (claimed != null) {
            return new Member(client, user, claimed, now, true);
        }
        String chosen = requestedName == null ? null : DisplayName.validate(requestedName, presence.config().maxNameLength());
        if (user != null) {
            return chosen == null ? new Member(client, user, user, now, true) : new Member(client, user, chosen, now, false);
        }
        return new Member(client, null, chosen, now, false);
    }

    /**
     * The token's {@code name} claim if it keeps the rules of a chosen name; otherwise none (the token's issuer is
     * trusted with who the user is, not with what every member's screen shows: over-long or invisible text is dropped).
     */
    private String claimedName(String claim) {
        if (claim == null) {
            return null;
        }
        try {
            return DisplayName.validate(claim, presence.config().maxNameLength());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether this connection may change its presence now (enter a room); false when it is over its budget. */
    public boolean mayWrite() {
        return inUse().writes().tryAcquire();
    }

    /**
     * Enters the room: its client receives the current members as joins, a {@code sync} frame, then
     * changes. Called on a worker thread.
     */
    public CompletableFuture<Void> enter(RoomName room, Member member) {
        inUse().known().put(room, new HashSet<>());
        return presence.enter(room, member, this);
    }

    /** Leaves the room (a tombstone), if present. Any thread. */
    public void leave(RoomName room) {
        InUse u = inUseIfMade();
        if (u != null && u.known().remove(room) != null) {
            presence.leave(room, u.client(), this);
        }
    }

    /** Leaves every room: the connection is gone. */
    public void leaveAll() {
        InUse u = inUseIfMade();
        if (u != null) {
            Set.copyOf(u.known().keySet()).forEach(this::leave);
        }
    }

    /** Answers a {@code presence} request. Called on a worker thread. */
    public CompletableFuture<ByteBuffer> query(JsonNode requestId, RoomName room) {
        return presence.members(room).thenApply(s -> PresenceFrames.presence(requestId, room, s));
    }

    @Override
    public void changed(PresenceTable.Change change) {
        InUse u = inUseIfMade();
        Set<String> clients = u == null ? null : u.known().get(change.room());
        if (clients == null) {
            return;
        }
        int max = presence.config().maxListedMembers();
        int before = change.joined() ? change.count() - 1 : change.count() + 1;
        if (!change.joined() && before > max && change.count() <= max) {
            // Back at the listing limit: the client knows only a count, so it gets the whole list once, and
            // joins and leaves after it. A leave comes on the presence tail's thread (joins of an entry's
            // snapshot never cross the limit downwards), so the list is the one after this change.
            Presence.Snapshot now = presence.current(change.room());
            synchronized (clients) {
                clients.clear();
                now.members().forEach(m -> clients.add(m.client()));
            }
            outbound.force(PresenceFrames.presence(null, change.room(), now));
            return;
        }
        boolean news;
        synchronized (clients) {
            news = change.joined() ? clients.add(change.member().client()) : clients.remove(change.member().client());
        }
        if (!news) {
            return;
        }
        // Above the listing limit (before or after the change), clients get counts only.
        outbound.force(Math.max(before, change.count()) > max ? PresenceFrames.count(change.room(), change.count()) : PresenceFrames.change(change));
    }

    @Override
    public void synced(RoomName room, int count) {
        InUse u = inUseIfMade();
        if (u != null && u.known().containsKey(room)) {
            outbound.force(PresenceFrames.sync(room, count));
        }
    }
}
