package io.roomcast.client;

/**
 * Receives what happens on one subscription. For a given subscription, callbacks run one at a time (never
 * concurrently) on the client's listener executor ({@link ClientOptions#listenerExecutor()}; by default one thread per
 * client named {@code roomcast-client-N-listener}), in the order the edge sent them: {@code onSubscribed}, then
 * {@code onGap} if history was lost, then events in increasing offset order, then {@code onLive}. Events are never
 * delivered twice, also across reconnects and failovers. A callback that blocks delays this client's other
 * subscriptions when the default single-thread executor is used, and, once
 * {@link ClientOptions#maxBufferedEvents()} events wait, stops the client reading from the socket (backpressure, not
 * loss).
 */
@FunctionalInterface
public interface SubscriptionListener {

    /** An event of the room, in offset order, at most once. */
    void onEvent(RoomEvent event);

    /** The edge confirmed the subscription, on the first connection and on every resume. */
    default void onSubscribed(Subscribed subscribed) {
    }

    /**
     * History up to and including {@code offset} is delivered; what follows is live. Called once per (re)subscription.
     * {@code -1} means the room's partition is empty.
     */
    default void onLive(long offset) {
    }

    /**
     * History was lost ({@code recovered:false}): the application must reset its view of the room. Events from
     * {@link Gap#resumeAt()} on follow. Also called with reason {@code dropped} when the edge skipped live events of a
     * lossy subscription ({@code dropped} frame).
     */
    default void onGap(Gap gap) {
    }

    /**
     * The edge refused the subscription or the client had to end it. When {@link ErrorCode#retryable()} is true the
     * client subscribes again with backoff; otherwise the subscription has ended.
     */
    default void onError(ClientError error) {
    }

    /**
     * With {@link SubscribeOptions#presence()}: a member entered the room; {@code count} is the room's member count
     * after it. After {@code onSubscribed} (also on a resume) everyone present arrives again as joins.
     */
    default void onJoin(Member member, int count) {
    }

    /** With {@link SubscribeOptions#presence()}: a member left the room. */
    default void onLeave(Member member, int count) {
    }

    /** With {@link SubscribeOptions#presence()}: the whole member list after every join, leave or count notice. */
    default void onPresence(Presence presence) {
    }

    /** With {@link SubscribeOptions#ephemeral()}: a signal, live only; it has no offset and moves no position. */
    default void onEphemeral(EphemeralEvent event) {
    }

    /** With {@link SubscribeOptions#compact()}: the tokens so far of an answer still streaming, before {@code onLive}. */
    default void onPartial(PartialAnswer partial) {
    }

    /** With {@link From#snapshot()}: the room's state as of an offset, before {@code onSubscribed}. */
    default void onSnapshot(Snapshot snapshot) {
    }
}
