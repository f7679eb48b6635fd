package io.roomcast.edge.session;

import io.roomcast.edge.limit.RateLimit;
import io.roomcast.edge.protocol.ClientFrame;
import io.roomcast.edge.protocol.ServerFrames;

/**
 * One connection's requests: each frame is counted against the connection's frame rate limit
 * (and a durable publish against its publish rate limit), then routed to the handler of its op.
 * {@code ping} is answered here; a request the parser could not understand is answered with its
 * error. Ephemeral publishes are limited by their own budget ({@code SessionEphemeral}), not the
 * publish rate limit.
 *
 * <p>Threading: {@link #handle} runs on the connection's IO thread and never blocks; so do the
 * handlers it calls, which hand anything that may wait to the worker.
 */
final class Requests {

    /** The handlers of a connection's requests, by op. Each is called on the connection's IO thread and must not block. */
    interface Handler {
        void subscribe(ClientFrame.Subscribe s);

        void unsubscribe(ClientFrame.Unsubscribe u);

        /** A durable publish, within the publish rate limit. */
        void publish(ClientFrame.Publish p);

        void publishEphemeral(ClientFrame.Publish p);

        void presence(ClientFrame.Presence q);

        void auth(ClientFrame.Auth a);
    }

    private final RateLimit frameLimit;
    private final RateLimit publishLimit;
    private final Answers answers;
    private final Handler handler;

    Requests(RateLimit frameLimit, RateLimit publishLimit, Answers answers, Handler handler) {
        this.frameLimit = frameLimit;
        this.publishLimit = publishLimit;
        this.answers = answers;
        this.handler = handler;
    }

    /** Routes one request. IO thread. */
    void handle(ClientFrame frame) {
        if (!frameLimit.tryAcquire()) {
            answers.rateLimited(frame.id(), frame.roomName(), "too many requests; slow down");
            return;
        }
        if (frame instanceof ClientFrame.Ping ping) {
            answers.send(ServerFrames.pong(ping.id()));
        } else if (frame instanceof ClientFrame.Subscribe s) {
            handler.subscribe(s);
        } else if (frame instanceof ClientFrame.Unsubscribe u) {
            handler.unsubscribe(u);
        } else if (frame instanceof ClientFrame.Publish p) {
            publish(p);
        } else if (frame instanceof ClientFrame.Presence q) {
            handler.presence(q);
        } else if (frame instanceof ClientFrame.Auth auth) {
            handler.auth(auth);
        } else if (frame instanceof ClientFrame.Invalid bad) {
            answers.refuse(bad.id(), bad.room(), bad.code(), bad.message());
        }
    }

    private void publish(ClientFrame.Publish p) {
        if (p.ephemeral()) {
            handler.publishEphemeral(p);
        } else if (!publishLimit.tryAcquire()) {
            answers.rateLimited(p.id(), p.room().value(), "too many publishes; slow down");
        } else {
            handler.publish(p);
        }
    }
}
