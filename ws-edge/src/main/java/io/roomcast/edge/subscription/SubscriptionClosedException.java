package io.roomcast.edge.subscription;

/** The subscription was closed while it was starting; nothing is left to do. */
final class SubscriptionClosedException extends RuntimeException {
    SubscriptionClosedException() {
        super("subscription closed", null, false, false);
    }
}
