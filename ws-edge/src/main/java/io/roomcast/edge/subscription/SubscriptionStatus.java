package io.roomcast.edge.subscription;

/**
 * A snapshot of one subscription.
 *
 * @param lagOffsets how far the last delivered offset is behind the partition's live position
 *                   (counted in partition offsets, so other rooms' events count too)
 * @param pending    live events waiting in a drop policy's window
 * @param readAhead  history events read from Kafka and not yet sent (at most {@code outboundLimit})
 */
public record SubscriptionStatus(String room, String state, String policy, long lastDelivered, long lagOffsets, int pending,
                                 int readAhead) {
}
