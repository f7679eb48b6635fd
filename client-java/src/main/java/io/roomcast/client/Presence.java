package io.roomcast.client;

import java.util.List;
import java.util.Objects;

/**
 * Who is in a room: the answer to {@link RoomcastClient#presence(String)}, and what
 * {@link SubscriptionListener#onPresence(Presence)} sees after every change of a presence subscription.
 *
 * @param room    the room
 * @param members longest present first; empty when {@code listed} is false
 * @param count   how many members the room has
 * @param listed  false above the edge's listing limit: then only {@code count} is known
 */
public record Presence(String room, List<Member> members, int count, boolean listed) {

    public Presence {
        Objects.requireNonNull(room, "room");
        members = List.copyOf(members);
    }
}
