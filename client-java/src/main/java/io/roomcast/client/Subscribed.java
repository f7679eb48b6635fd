package io.roomcast.client;

/**
 * The edge confirmed a subscription (its {@code subscribed} frame), on the first connection or on a resume.
 *
 * @param room      the room
 * @param epoch     the room's epoch on this edge
 * @param recovered true when the requested history is delivered completely (also when no history was requested);
 *                  false comes with a {@link Gap} delivered through {@link SubscriptionListener#onGap(Gap)}
 * @param resumed   true when this confirms a re-subscription after a reconnect
 */
public record Subscribed(String room, String epoch, boolean recovered, boolean resumed) {
}
