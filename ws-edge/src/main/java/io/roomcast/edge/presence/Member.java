package io.roomcast.edge.presence;

import java.util.Objects;

/**
 * One connection present in a room.
 *
 * @param client   the connection's id, unique across edges
 * @param user     the token's {@code sub}, or null on an anonymous connection
 * @param name     the display name: the token's {@code name} claim, else a validated name the client chose, else the user
 * @param since    when the connection entered the room (ms since the epoch)
 * @param verified whether the name comes from a verified token
 */
public record Member(String client, String user, String name, long since, boolean verified) {
    public Member {
        Objects.requireNonNull(client, "client");
    }
}
