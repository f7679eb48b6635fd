package io.roomcast.client;

import java.util.Optional;
import java.util.concurrent.Executor;
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
    private final DeliveryPolicy policy;
    private final RoomCursor cursor;
    private final SerialExecutor delivery;
    private final DeliveryBudget budget;
    private final Consumer<ClientError> onListenerFailure;
    private final Consumer<RoomSubscription> onUnsubscribe;

    private volatile boolean unsubscribed;
    private volatile boolean ended;
    private volatile Position delivered;

    // loop-owned
    private Status status = Status.NEW;
    private long requestId;
    private int retries;

    RoomSubscription(String room, From from, DeliveryPolicy policy, SubscriptionListener listener,
                     Executor listenerExecutor, DeliveryBudget budget, Consumer<RoomSubscription> onUnsubscribe,
                     Consumer<ClientError> onListenerFailure) {
        this.room = room;
        this.policy = policy;
        this.listener = listener;
        this.cursor = new RoomCursor(room, from);
        this.delivery = new SerialExecutor(listenerExecutor, "subscription " + room);
        this.budget = budget;
        this.onUnsubscribe = onUnsubscribe;
        this.onListenerFailure = onListenerFailure;
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

    /** The policy asked for, or null for the namespace's. */
    DeliveryPolicy policy() {
        return policy;
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

    void deliverSubscribed(Subscribed subscribed, Gap gap) {
        Position at = cursor.position().orElse(null);
        deliver(() -> listener.onSubscribed(subscribed), at);
        if (gap != null) {
            deliver(() -> listener.onGap(gap), at);
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

    void deliverError(ClientError error) {
        deliver(() -> listener.onError(error), null);
    }

    private void deliver(Runnable callback, Position at) {
        budget.take();
        delivery.execute(() -> {
            try {
                if (!unsubscribed) {
                    callback.run();
                }
            } catch (RuntimeException e) {
                // the callback was handed its event: it counts as delivered and is not repeated
                log.atError().setCause(e).addKeyValue("room", room).log("subscription listener threw; delivery goes on");
                onListenerFailure.accept(new ClientError(ErrorCode.LISTENER, "a listener of " + room + " threw: " + e, room));
            } finally {
                if (at != null && !unsubscribed) {
                    delivered = at;
                }
                budget.release();
            }
        });
    }
}
