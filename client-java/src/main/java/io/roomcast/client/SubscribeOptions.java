package io.roomcast.client;

import java.util.Objects;

/**
 * How to subscribe to a room ({@code docs/protocol.md}, subscribe). Immutable; start from {@link #from(From)}.
 *
 * @param from      where the first subscription starts; later ones resume from the position
 * @param policy    the backpressure policy for this subscription, or null for the namespace's
 * @param presence  be present in the room while subscribed, and hear who else is
 *                  ({@link SubscriptionListener#onJoin}, {@link SubscriptionListener#onLeave})
 * @param name      with {@code presence}: the display name on a connection without a token (trimmed, at most 64
 *                  characters, no control characters; the edge refuses others with {@code bad_request}), or null
 * @param ephemeral also receive the room's ephemeral signals ({@link SubscriptionListener#onEphemeral})
 * @param compact   a compact history: each finished answer as its one {@code generation.message} event, an answer
 *                  still streaming as {@link SubscriptionListener#onPartial} and then its live tokens
 */
public record SubscribeOptions(From from, DeliveryPolicy policy, boolean presence, String name, boolean ephemeral,
                               boolean compact) {

    /** The protocol's limit for a chosen display name. */
    public static final int MAX_NAME_LENGTH = 64;

    public SubscribeOptions {
        Objects.requireNonNull(from, "from");
        if (name != null && (name.isBlank() || name.length() > MAX_NAME_LENGTH)) {
            throw new IllegalArgumentException("name must be 1-" + MAX_NAME_LENGTH + " characters, not blank");
        }
    }

    /** Starting at {@code from}, with the namespace's policy and no presence, signals or compaction. */
    public static SubscribeOptions from(From from) {
        return new SubscribeOptions(from, null, false, null, false, false);
    }

    public SubscribeOptions withPolicy(DeliveryPolicy newPolicy) {
        return new SubscribeOptions(from, newPolicy, presence, name, ephemeral, compact);
    }

    /** Present in the room while subscribed (the name comes from the token, else the edge shows the user). */
    public SubscribeOptions withPresence() {
        return new SubscribeOptions(from, policy, true, name, ephemeral, compact);
    }

    /** Present in the room while subscribed, under {@code displayName} on a connection without a token. */
    public SubscribeOptions withPresence(String displayName) {
        return new SubscribeOptions(from, policy, true, displayName, ephemeral, compact);
    }

    public SubscribeOptions withEphemeral() {
        return new SubscribeOptions(from, policy, presence, name, true, compact);
    }

    public SubscribeOptions withCompact() {
        return new SubscribeOptions(from, policy, presence, name, ephemeral, true);
    }
}
