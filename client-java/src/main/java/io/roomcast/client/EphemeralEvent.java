package io.roomcast.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * An ephemeral signal of a room (typing, cursor position): delivered live to subscriptions with
 * {@link SubscribeOptions#ephemeral()}, never stored, never replayed. It has no offset and is no position: it never
 * moves {@link Subscription#position()}.
 *
 * @param room   the room
 * @param type   the signal's type
 * @param ts     when the edge took it, ms since the epoch
 * @param data   the payload
 * @param client the sender's presence client id, or null
 */
public record EphemeralEvent(String room, String type, long ts, JsonNode data, String client) {

    public EphemeralEvent {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }
}
