package io.roomcast.edge.session;

import io.roomcast.edge.Backbone;
import io.roomcast.edge.auth.Principal;
import io.roomcast.edge.ephemeral.SessionEphemeral;
import io.roomcast.edge.protocol.ClientFrame;
import io.roomcast.edge.protocol.ErrorCode;
import io.roomcast.edge.protocol.ServerFrames;
import io.roomcast.edge.publish.PublishRefusal;
import io.roomcast.edge.publish.Publishing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * One connection's publishes: the checks that need no Kafka (access, payload size,
 * {@link Publishing#admit}, an ephemeral signal's budget), then the write on the worker
 * ({@link Publishing#publish} or the ephemeral topic), answered with {@code ack} or an error. The writes of
 * one connection run one after another, in the order it sent them ({@link InOrder}): a client's publishes to a
 * room are stored in that order.
 *
 * <p>Threading: {@link #publish} and {@link #publishEphemeral} run on the connection's IO thread
 * and never block; the write is submitted from a worker thread, and its answer is sent from the
 * thread that completes it (the producer's I/O thread once Kafka acknowledged, or a worker).
 */
final class SessionPublishing {
    private static final Logger log = LoggerFactory.getLogger(SessionPublishing.class);

    private final String sessionId;
    private final String remote;
    private final Backbone backbone;
    private final Answers answers;
    private final SessionMetrics metrics;
    private final SessionEphemeral ephemeral;
    private final Supplier<Principal> principal;
    /** The connection's writes, in the order it sent them (see {@link InOrder}). */
    private final InOrder writes;

    /** @param principal who the connection speaks for now (null: anonymous) */
    SessionPublishing(String sessionId, String remote, Backbone backbone, Answers answers, SessionMetrics metrics,
                      SessionEphemeral ephemeral, Supplier<Principal> principal) {
        this.sessionId = sessionId;
        this.remote = remote;
        this.backbone = backbone;
        this.answers = answers;
        this.metrics = metrics;
        this.ephemeral = ephemeral;
        this.principal = principal;
        this.writes = new InOrder(backbone.worker());
    }

    /** A durable publish (already within the publish rate limit): checks, then writes on the worker. IO thread. */
    void publish(ClientFrame.Publish p) {
        Principal by = principal.get();
        var access = backbone.security().access().publish(by, p.room());
        if (!access.allowed()) {
            answers.refuse(p.id(), p.room().value(), access.code(), access.message());
            return;
        }
        int max = backbone.config().maxPayloadBytes();
        if (p.data().length > max) {
            answers.refuse(p.id(), p.room().value(), ErrorCode.TOO_LARGE, "data is larger than " + max + " bytes");
            return;
        }
        Publishing publishing = backbone.publishing();
        var admitted = publishing.admit(by, remote, p.room(), p.type());
        if (!admitted.allowed()) {
            answers.refuse(p.id(), p.room().value(), admitted.code(), admitted.message());
            return;
        }
        var request = new Publishing.Request(p.room(), p.type(), p.data(), p.eventId(), p.retry(),
                publishing.scope(by, p.publisherKey(), sessionId));
        answers.execute(writes, p.id(), p.room(), () -> publishing.publish(request)
                .whenComplete((outcome, failure) -> answer(p, outcome, failure)));
    }

    /** Answers a durable publish. On the thread that completed it: the producer's I/O thread, or a worker; never blocks. */
    private void answer(ClientFrame.Publish p, Publishing.Outcome outcome, Throwable failure) {
        if (failure == null) {
            metrics.published(outcome.duplicate());
            answers.send(ServerFrames.ack(p.id(), p.room(), outcome.offset(), outcome.duplicate()));
            return;
        }
        PublishRefusal refusal = PublishRefusal.of(failure);
        if (!refusal.expected()) {
            log.atError().addKeyValue("session", sessionId).addKeyValue("room", p.room()).setCause(failure).log("publish failed");
        }
        answers.refuse(p.id(), p.room().value(), refusal.code(), refusal.message());
    }

    /** An ephemeral signal (typing, cursor): access and its budget, then the write on the worker. IO thread. */
    void publishEphemeral(ClientFrame.Publish p) {
        var access = backbone.security().access().publish(principal.get(), p.room());
        if (!access.allowed()) {
            answers.refuse(p.id(), p.room().value(), access.code(), access.message());
            return;
        }
        SessionEphemeral.Refusal refusal = ephemeral.check(p.room(), p.data());
        if (refusal != null) {
            if (refusal.code() == ErrorCode.RATE_LIMITED) {
                answers.rateLimited(p.id(), p.room().value(), refusal.message());
            } else {
                answers.refuse(p.id(), p.room().value(), refusal.code(), refusal.message());
            }
            return;
        }
        answers.execute(writes, p.id(), p.room(), () -> ephemeral.publish(p.room(), p.type(), p.data())
                .whenComplete((ok, failure) -> {
                    if (failure == null) {
                        answers.send(SessionEphemeral.ack(p.id(), p.room()));
                    } else {
                        answers.refuse(p.id(), p.room().value(), ErrorCode.UNAVAILABLE, "Kafka did not take the ephemeral event; retry");
                    }
                }));
    }
}
