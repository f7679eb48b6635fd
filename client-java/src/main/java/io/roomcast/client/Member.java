package io.roomcast.client;

import java.util.Objects;

/**
 * One connection present in a room ({@code docs/protocol.md}, Presence): one person with two tabs is two members.
 *
 * @param client   the connection's id, unique across edges
 * @param user     the token's {@code sub}, or null on a connection without a token
 * @param name     the display name, or null
 * @param since    when the connection entered the room, ms since the epoch
 * @param verified true when the name comes from a verified token
 */
public record Member(String client, String user, String name, long since, boolean verified) {

    public Member {
        Objects.requireNonNull(client, "client");
    }
}
