package io.roomcast.edge.session;

import io.roomcast.edge.subscription.SubscriptionStatus;

import java.util.List;

/** A snapshot of one connection, for the admin endpoint. */
public record SessionStatus(String id, String remote, int queuedFrames, long queuedBytes, List<SubscriptionStatus> subscriptions) {
}
