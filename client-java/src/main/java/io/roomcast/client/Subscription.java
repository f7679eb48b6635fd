package io.roomcast.client;

import java.util.Optional;

/**
 * A subscription to one room, kept across reconnects and failovers until {@link #unsubscribe()}. Thread-safe.
 */
public interface Subscription {

    String room();

    /**
     * The position of the last event or {@code live} offset handed to the listener (empty before the first one). It
     * resumes the room exactly, in this client or, persisted, in another process ({@link Position#toFrom()}).
     */
    Optional<Position> position();

    /** With {@link SubscribeOptions#presence()}: the room's members as last heard, longest present first. */
    java.util.List<Member> members();

    /** True until {@link #unsubscribe()}, a non-retryable subscription error, or the client closes. */
    boolean isActive();

    /**
     * Ends the subscription. No listener callback starts after this returns (one running on another thread may still
     * finish). Idempotent.
     */
    void unsubscribe();
}
