package io.roomcast.edge.session;

import io.micrometer.core.instrument.DistributionSummary;
import io.roomcast.edge.Backbone;
import io.roomcast.edge.auth.Principal;
import io.roomcast.edge.ephemeral.SessionEphemeral;
import io.roomcast.edge.presence.Member;
import io.roomcast.edge.presence.SessionPresence;
import io.roomcast.edge.protocol.ClientFrame;
import io.roomcast.edge.protocol.ErrorCode;
import io.roomcast.edge.protocol.ServerFrames;
import io.roomcast.edge.snapshot.RoomSnapshot;
import io.roomcast.edge.snapshot.Snapshots;
import io.roomcast.edge.subscription.ReadPermits;
import io.roomcast.edge.subscription.Subscription;
import io.roomcast.edge.subscription.SubscriptionEvents;
import io.roomcast.edge.subscription.SubscriptionStatus;
import io.roomcast.event.RoomEvent;
import io.roomcast.live.LivePositionLostException;
import io.roomcast.position.Epoch;
import io.roomcast.position.StartPoint;
import io.roomcast.room.RoomName;
import io.roomcast.room.UnknownNamespaceException;
import io.roomcast.topic.KafkaUnavailableException;
import io.roomcast.topic.RoomLocation;
import io.roomcast.topic.TopicRegistry;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One connection's subscribe and unsubscribe requests: the checks (access, the
 * {@link SubscriptionTable}'s bounds, presence and ephemeral options), the room's location and its
 * {@link Subscription} on a worker, the subscription's callbacks, and the room's presence and
 * ephemeral signals that come and go with it.
 *
 * <p>Threading: {@link #subscribe} and {@link #unsubscribe} run on the connection's IO thread and
 * never block; locating the room, building and ending subscriptions run on the worker.
 */
final class SessionSubscriptions {
    private static final Logger log = LoggerFactory.getLogger(SessionSubscriptions.class);

    private final String sessionId;
    private final String remote;
    private final Backbone backbone;
    private final FrameSink sink;
    private final Answers answers;
    private final SessionMetrics metrics;
    private final SessionPresence presence;
    private final SessionEphemeral ephemeral;
    private final Supplier<Principal> principal;
    private final BooleanSupplier connectionClosed;
    private final SubscriptionTable table;
    private final ReadPermits readPermits;
    /**
     * Orders the presence and signal entries and leaves of this connection's subscriptions: a subscription's
     * entry (after {@code subscribed}, on a worker, perhaps creating the side topics) may still be under way when
     * an unsubscribe's leave runs on another worker. Under it, an entry checks that its subscription still holds
     * the room, so a leave either finds the entry complete or the entry finds the room left.
     */
    private final Object extras = new Object();

    /**
     * @param principal        who the connection speaks for now (null: anonymous)
     * @param connectionClosed whether the connection is closing, so a subscription located meanwhile is not started
     */
    SessionSubscriptions(String sessionId, String remote, Backbone backbone, FrameSink sink, Answers answers, SessionMetrics metrics,
                         SessionPresence presence, SessionEphemeral ephemeral, Supplier<Principal> principal,
                         BooleanSupplier connectionClosed) {
        this.sessionId = sessionId;
        this.remote = remote;
        this.backbone = backbone;
        this.sink = sink;
        this.answers = answers;
        this.metrics = metrics;
        this.presence = presence;
        this.ephemeral = ephemeral;
        this.principal = principal;
        this.connectionClosed = connectionClosed;
        this.table = new SubscriptionTable(backbone.config().maxSubscriptionsPerConnection());
        this.readPermits = new ReadPermits(backbone.config().historyLimits().readsPerConnection());
    }

    /** Checks a subscribe, reserves its room and hands the rest to the worker. IO thread. */
    void subscribe(ClientFrame.Subscribe s) {
        Principal p = principal.get();
        var access = backbone.security().access().subscribe(p, s.room());
        if (!access.allowed()) {
            answers.refuse(s.id(), s.room().value(), access.code(), access.message());
            return;
        }
        var room = table.admit(s.room());
        if (!room.allowed()) {
            answers.refuse(s.id(), s.room().value(), room.code(), room.message());
            return;
        }
        Member member = null;
        SessionEphemeral.Refusal signals = s.ephemeral() ? ephemeral.refusal(s.room()) : null;
        if (signals != null) {
            answers.refuse(s.id(), s.room().value(), signals.code(), signals.message());
            return;
        }
        if (s.presence()) {
            try {
                member = presence.member(p == null || p.subject().isEmpty() ? null : p.subject(), p == null ? null : p.name(), s.name());
            } catch (IllegalArgumentException e) {
                answers.refuse(s.id(), s.room().value(), ErrorCode.BAD_REQUEST, "invalid name: " + e.getMessage());
                return;
            }
            if (!presence.mayWrite()) {
                answers.rateLimited(s.id(), s.room().value(), "too many presence changes; slow down");
                return;
            }
        }
        Member present = member;
        SubscriptionTable.Slot slot = table.reserve(s.room());
        Runnable begin = () -> {
            if (!answers.execute(backbone.worker(), s.id(), s.room(), () -> start(s, slot, present))) {
                table.remove(s.room(), slot);
                slot.answered();
            }
        };
        // A client drops a room's frames until its unsubscribe is answered (they belong to the old
        // subscription), and the old presence must leave before this one enters: this subscription
        // starts once the room's unsubscribe under way, if any, is answered.
        CompletableFuture<Void> leaving = table.leaving(s.room());
        if (leaving == null) {
            begin.run();
        } else {
            leaving.whenComplete((v, e) -> begin.run());
        }
    }

    /** Locates the room and starts its subscription in {@code slot}. Worker thread. */
    private void start(ClientFrame.Subscribe s, SubscriptionTable.Slot slot, Member member) {
        RoomLocation location;
        try {
            location = backbone.topics().locate(s.room());
        } catch (UnknownNamespaceException e) {
            refuse(s, slot, ErrorCode.BAD_REQUEST, e.getMessage());
            return;
        } catch (KafkaUnavailableException e) {
            refuse(s, slot, ErrorCode.UNAVAILABLE, "Kafka is unavailable; retry");
            return;
        }
        Subscription sub;
        try {
            sub = new Subscription(backbone, sink, location, s.snapshot() ? snapshotStart(s, location) : s.from(), s.id(),
                    s.policy() != null ? s.policy() : location.namespace().policy(), readPermits, new Events(s, slot, member));
        } catch (RuntimeException e) {
            // A defect, not the client's: it is answered and its room freed rather than left reserved with no answer.
            log.atError().addKeyValue("session", sessionId).addKeyValue("room", s.room()).setCause(e).log("subscription could not start");
            refuse(s, slot, ErrorCode.INTERNAL, "the subscription could not start; retry");
            return;
        }
        if (!slot.fill(sub) || connectionClosed.getAsBoolean()) {
            // Ended meanwhile: the connection closed, or a new token took the room away (with a notice).
            slot.answered();
            sub.close();
            return;
        }
        if (s.compact()) {
            sub.compactHistory(backbone.answerBudget());
        }
        sub.start();
    }

    /** Refuses a subscribe whose room was reserved: frees the room, then answers. Worker thread. */
    private void refuse(ClientFrame.Subscribe s, SubscriptionTable.Slot slot, ErrorCode code, String message) {
        table.remove(s.room(), slot);
        answers.refuse(s.id(), s.room().value(), code, message);
        slot.answered();
    }

    /**
     * {@code from:"snapshot"}: sends the room's newest snapshot and starts after its offset (in the
     * snapshot's epoch, so a snapshot of another history ends in a gap); without one, or when the
     * snapshot topic cannot be read, the subscription starts at {@code earliest}. Worker thread.
     */
    private StartPoint snapshotStart(ClientFrame.Subscribe s, RoomLocation location) {
        Optional<RoomSnapshot> found;
        try {
            found = backbone.snapshots().latest(s.room());
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("session", sessionId).addKeyValue("room", s.room()).setCause(e)
                    .log("snapshot lookup failed; replaying from earliest");
            return s.from();
        }
        if (found.isEmpty()) {
            return s.from();
        }
        Epoch epoch = found.get().epoch() != null ? found.get().epoch() : location.epoch();
        sink.force(Snapshots.frame(s.id(), s.room(), found.get(), epoch));
        return new StartPoint.After(found.get().offset(), epoch);
    }

    /**
     * Presence and ephemeral signals of a new subscription, once {@code subscribed} went out (so they
     * follow it); a failure ends the subscription with a notice. Worker thread.
     */
    private void enterExtras(ClientFrame.Subscribe s, Member member, SubscriptionTable.Slot slot) {
        if (!s.ephemeral() && member == null) {
            return;
        }
        synchronized (extras) {
            // Unsubscribed or disconnected meanwhile: its clean-up has run, or runs after this and finds nothing.
            if (connectionClosed.getAsBoolean() || !table.holds(s.room(), slot)) {
                return;
            }
            if (s.ephemeral()) {
                ephemeral.listen(s.room()).exceptionally(e -> {
                    extraFailed(s, slot, "ephemeral events are unavailable; resubscribe to retry");
                    return null;
                });
            }
            if (member != null) {
                presence.enter(s.room(), member).exceptionally(e -> {
                    extraFailed(s, slot, "presence is unavailable; resubscribe to retry");
                    return null;
                });
            }
        }
    }

    /**
     * A subscription's presence or ephemeral signals failed: the subscription ends with a notice, as
     * a notice says (so the client's resubscribe from its position is taken, not refused as already
     * subscribed), but only while it still holds its room. Once unsubscribed, its leave has undone
     * the extras already (an entry still under way then fails as its partition is released), and a
     * later subscription of the room, a rename for instance, holds extras of its own that this must
     * not undo: the room is released and its extras left under one lock. Any thread.
     */
    private void extraFailed(ClientFrame.Subscribe s, SubscriptionTable.Slot slot, String message) {
        synchronized (extras) {
            if (connectionClosed.getAsBoolean() || !table.remove(s.room(), slot)) {
                return;
            }
            leaveExtras(s.room());
        }
        // The notice follows the end, so no event of the room comes after it.
        backbone.offIoThread(() -> {
            slot.end();
            answers.error(null, s.room().value(), ErrorCode.UNAVAILABLE, message);
        });
    }

    private void leaveExtras(RoomName room) {
        synchronized (extras) {
            presence.leave(room);
            ephemeral.stop(room);
        }
    }

    /** Ends a subscription; {@code not subscribed} when there is none. IO thread. */
    void unsubscribe(ClientFrame.Unsubscribe u) {
        SubscriptionTable.Slot slot = table.remove(u.room());
        if (slot == null) {
            answers.refuse(u.id(), u.room().value(), ErrorCode.BAD_REQUEST, "not subscribed to " + u.room());
            return;
        }
        // Ending a subscription takes its lock, which live dispatch may hold while it waits on this
        // connection's channel: never on the IO thread. Answered after an earlier unsubscribe of the room,
        // and after the subscribe it ends was answered: ended before, that request would get no answer at all.
        CompletableFuture<Void> earlier = table.leaving(u.room());
        CompletableFuture<Void> left = table.leave(u.room());
        Runnable end = () -> {
            try {
                slot.end();
                leaveExtras(u.room());
                metrics.unsubscribed();
                answers.send(ServerFrames.unsubscribed(u.id(), u.room()));
            } finally {
                table.left(u.room(), left);
            }
        };
        CompletableFuture<Void> before = earlier == null ? slot.whenAnswered() : CompletableFuture.allOf(earlier, slot.whenAnswered());
        before.whenComplete((v, e) -> backbone.offIoThread(end));
    }

    /**
     * Ends, with a notice, the subscriptions the connection's new principal may no longer hold.
     * Worker thread, or the IO thread when the authenticator never blocks.
     */
    void reauthorized(Principal next) {
        var access = backbone.security().access();
        table.forEach((room, slot) -> {
            var still = access.subscribe(next, room);
            if (!still.allowed() && table.remove(room, slot)) {
                // The notice follows the end, so no event of the room comes after it.
                backbone.offIoThread(() -> {
                    slot.end();
                    leaveExtras(room);
                    answers.error(null, room.value(), still.code(), still.message());
                });
            }
        });
    }

    /** Ends the subscriptions whose room's epoch is no longer the one they started in (see {@link EpochWatch}). Worker thread. */
    void endOldEpochs(TopicRegistry topics) {
        for (Subscription sub : table.subscriptions()) {
            Epoch now;
            try {
                now = topics.info(sub.location().namespace()).epoch(); // cached per namespace: no lookup per subscription
            } catch (RuntimeException e) {
                return; // Kafka unreachable: the next round checks again
            }
            if (!now.equals(sub.location().epoch())) {
                sub.epochChanged(now);
            }
        }
    }

    /** Samples the subscriptions' lag into {@code lag}; returns their read-ahead total. The heartbeat sweep. */
    long sampleLag(DistributionSummary lag) {
        return table.sampleLag(lag);
    }

    /** The statuses of the subscriptions under way. Any thread. */
    List<SubscriptionStatus> statuses() {
        return table.statuses();
    }

    /** Subscriptions held or being set up. Any thread. */
    int count() {
        return table.size();
    }

    /**
     * The connection is gone: ends every subscription and leaves every room's presence and
     * ephemeral signals. Called in Undertow's close task, which holds the channel's lock: a live
     * dispatch holding a subscription's lock may be waiting for it, so the subscriptions end on a
     * worker thread. Any thread.
     */
    void close() {
        List<SubscriptionTable.Slot> slots = table.close();
        backbone.offIoThread(() -> {
            slots.forEach(SubscriptionTable.Slot::end);
            synchronized (extras) {
                presence.leaveAll();
                ephemeral.stopAll();
            }
        });
    }

    private final class Events implements SubscriptionEvents {
        private final ClientFrame.Subscribe request;
        private final SubscriptionTable.Slot slot;
        /** The connection's presence in the room, or null without {@code "presence":true}. */
        private final Member member;
        /** Once {@code subscribed} went out, a failure is a notice about the room, not an answer to the request. */
        private volatile boolean answered;

        Events(ClientFrame.Subscribe request, SubscriptionTable.Slot slot, Member member) {
            this.request = request;
            this.slot = slot;
            this.member = member;
        }

        @Override
        public void subscribed(Subscription s) {
            answered = true;
            metrics.subscribed();
            enterExtras(request, member, slot);
            slot.answered();
        }

        @Override
        public void replayed(int count, boolean fromCache) {
            metrics.replayed(count, fromCache);
        }

        @Override
        public void deliveredLive(RoomEvent event) {
            metrics.deliveredLive(event);
        }

        @Override
        public void dropped(int count) {
            metrics.dropped(count);
        }

        @Override
        public void lagging(Subscription s) {
            metrics.lagging();
        }

        @Override
        public void handoverOverflowed(Subscription s) {
            metrics.handoverOverflowed();
        }

        @Override
        public void failed(Subscription s, Throwable cause) {
            table.remove(request.room(), slot);
            leaveExtras(request.room());
            boolean lost = cause instanceof LivePositionLostException;
            boolean kafka = cause instanceof KafkaUnavailableException || cause instanceof KafkaException
                    || cause instanceof RejectedExecutionException;
            if (lost) {
                log.atInfo().addKeyValue("session", sessionId).addKeyValue("room", request.room()).addKeyValue("reason", cause.getMessage())
                        .log("subscription ended: live position lost");
            } else if (!kafka) {
                log.atError().addKeyValue("session", sessionId).addKeyValue("remote", remote).addKeyValue("room", request.room())
                        .setCause(cause).log("subscription failed");
            }
            String message = lost ? cause.getMessage() + "; subscribe again from your last position to learn what was lost"
                    : cause instanceof RejectedExecutionException ? "edge is overloaded (" + cause.getMessage() + "); resubscribe to resume"
                    : kafka ? "Kafka is unavailable; resubscribe to resume" : "subscription failed";
            // Once answered, a failure is a notice about the room (no id), which makes clients resume.
            answers.error(answered ? null : request.id(), request.room().value(), lost || kafka ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL,
                    message);
            slot.answered();
        }
    }
}
