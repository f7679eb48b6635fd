package io.roomcast.client;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Subscription} and its delivery: callbacks queue on a {@link SerialExecutor} over the listener executor, so
 * they run one at a time in the order the loop queued them; each one counts against the {@link DeliveryBudget}. The
 * {@link RoomCursor} and the request state are owned by the client's loop; the flags and the delivered position are
 * safe to read from any thread.
 */
final class RoomSubscription implements Subscription {

    private static final Logger log = LoggerFactory.getLogger(RoomSubscription.class);

    /** Where the subscription stands on the current connection (loop-owned). */
    enum Status { NEW, PENDING, ACTIVE }

    private final String room;
    private final SubscriptionListener listener;
    private final SubscribeOptions options;
    private final RoomCursor cursor;
    private final SerialExecutor delivery;
    private final DeliveryBudget budget;
    private final Consumer<ClientError> onListenerFailure;
    private final Consumer<RoomSubscription> onUnsubscribe;

    private volatile boolean unsubscribed;
    private volatile boolean ended;
    /** Whether the client's user closed it: what still waits for the listener's thread is then dropped, as after {@link #unsubscribe()}. */
    private final BooleanSupplier clientClosed;
    private volatile Position delivered;
    /** The member list as last handed to the listener's thread; replaced, never changed. */
    private volatile List<Member> memberView = List.of();

    // loop-owned
    private Status status = Status.NEW;
    private long requestId;
    private int retries;
    /** Presence: the room's members, and its count (loop-owned). */
    private final RoomMembers members = new RoomMembers();
    private int memberCount;

    RoomSubscription(String room, SubscribeOptions options, SubscriptionListener listener,
                     Executor listenerExecutor, DeliveryBudget budget, Consumer<RoomSubscription> onUnsubscribe,
                     Consumer<ClientError> onListenerFailure, BooleanSupplier clientClosed) {
        this.room = room;
        this.options = options;
        this.listener = listener;
        this.cursor = new RoomCursor(room, options.from());
        this.delivery = new SerialExecutor(listenerExecutor, "subscription " + room);
        this.budget = budget;
        this.onUnsubscribe = onUnsubscribe;
        this.onListenerFailure = onListenerFailure;
        this.clientClosed = clientClosed;
        this.delivered = cursor.position().orElse(null);
    }

    @Override
    public String room() {
        return room;
    }

    @Override
    public Optional<Position> position() {
        return Optional.ofNullable(delivered);
    }

    @Override
    public boolean isActive() {
        return !unsubscribed && !ended;
    }

    @Override
    public void unsubscribe() {
        if (!unsubscribed) {
            unsubscribed = true;
            onUnsubscribe.accept(this);
        }
    }

    boolean isUnsubscribed() {
        return unsubscribed;
    }

    /** The subscription has ended for a reason other than {@link #unsubscribe()}; its final error still reaches it. */
    void end() {
        ended = true;
    }


    @Override
    public List<Member> members() {
        return memberView;
    }

    SubscribeOptions options() {
        return options;
    }

    RoomCursor cursor() {
        return cursor;
    }

    Status status() {
        return status;
    }

    long requestId() {
        return requestId;
    }

    void pending(long id) {
        status = Status.PENDING;
        requestId = id;
    }

    void active() {
        status = Status.ACTIVE;
        retries = 0;
    }

    void reset() {
        status = Status.NEW;
        requestId = 0;
    }

    /** Counts a retryable refusal and returns how many came before it. */
    int nextRetry() {
        return retries++;
    }

    /**
     * After {@code subscribed} the cursor's position is the subscription's, also when it has none (a gap into another
     * epoch without {@code resumeAt}): the old epoch's position is no place to resume from any more.
     */
    void deliverSubscribed(Subscribed subscribed, Gap gap) {
        Position at = cursor.position().orElse(null);
        deliver(() -> listener.onSubscribed(subscribed), at, true);
        if (gap != null) {
            deliver(() -> listener.onGap(gap), at, true);
        }
    }

    void deliverEvent(RoomEvent event) {
        Position at = cursor.position().orElse(null);
        deliver(() -> listener.onEvent(event), at);
    }

    void deliverLive(long offset) {
        Position at = cursor.position().orElse(null);
        deliver(() -> listener.onLive(offset), at);
    }

    void deliverGap(Gap gap) {
        Position at = cursor.position().orElse(null);
        deliver(() -> listener.onGap(gap), at);
    }

    /** The edge lists everyone present again after every {@code subscribed}, up to {@code sync}. */
    void presenceRestarts() {
        members.relist();
    }

    /**
     * Applies a {@code join} or {@code leave} and hands it, and the new list, to the listener; the join of a member
     * who stayed through a resubscribe is no change.
     */
    void deliverMembership(boolean joined, Member member, int count) {
        boolean change = members.apply(joined, member);
        memberCount = count;
        // While a resubscribe relists, the list may still hold members who left: it is told at sync.
        Presence presence = members.relisting() ? null : presence(true);
        deliver(() -> {
            if (change && joined) {
                listener.onJoin(member, count);
            } else if (change) {
                listener.onLeave(member, count);
            }
            if (presence != null) {
                memberView = presence.members();
                listener.onPresence(presence);
            }
        }, null);
    }

    /** {@code sync}: the members kept from before a resubscribe that the edge did not list again have left. */
    void deliverSync(int count) {
        boolean relisted = members.relisting();
        List<Member> gone = members.sync();
        memberCount = count;
        if (gone.isEmpty() && !relisted) {
            return;
        }
        Presence presence = presence(true);
        deliver(() -> {
            memberView = presence.members();
            gone.forEach(m -> listener.onLeave(m, count));
            listener.onPresence(presence);
        }, null);
    }

    /** A {@code presence} notice: above the edge's listing limit only the count ({@code listed} null); back at it, everyone. */
    void deliverPresenceNotice(List<Member> listed, int count) {
        members.replace(listed);
        memberCount = count;
        Presence presence = presence(listed != null);
        deliver(() -> {
            memberView = presence.members();
            listener.onPresence(presence);
        }, null);
    }

    private Presence presence(boolean listed) {
        return new Presence(room, members.list(), memberCount, listed);
    }

    /** A signal: no position moves. */
    void deliverEphemeral(EphemeralEvent event) {
        deliver(() -> listener.onEphemeral(event), null);
    }

    void deliverPartial(PartialAnswer partial) {
        Position at = cursor.position().orElse(null);
        deliver(() -> listener.onPartial(partial), at);
    }

    void deliverSnapshot(Snapshot snapshot) {
        Position at = cursor.position().orElse(null);
        deliver(() -> listener.onSnapshot(snapshot), at);
    }

    void deliverError(ClientError error) {
        deliver(() -> listener.onError(error), null);
    }

    private void deliver(Runnable callback, Position at) {
        deliver(callback, at, false);
    }

    /** {@code at}: the position once the callback ran; null leaves the position as it was, unless {@code moves}. */
    private void deliver(Runnable callback, Position at, boolean moves) {
        budget.take();
        delivery.execute(() -> {
            try {
                if (!unsubscribed && !clientClosed.getAsBoolean()) {
                    callback.run();
                }
            } catch (RuntimeException e) {
                // the callback was handed its event: it counts as delivered and is not repeated
                log.atError().setCause(e).addKeyValue("room", room).log("subscription listener threw; delivery goes on");
                onListenerFailure.accept(new ClientError(ErrorCode.LISTENER, "a listener of " + room + " threw: " + e, room));
            } finally {
                if ((at != null || moves) && !unsubscribed) {
                    delivered = at;
                }
                budget.release();
            }
        });
    }
}
