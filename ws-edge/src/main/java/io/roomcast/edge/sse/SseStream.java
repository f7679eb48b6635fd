package io.roomcast.edge.sse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomcast.edge.subscription.Subscription;
import io.roomcast.edge.subscription.SubscriptionEvents;
import io.roomcast.live.LivePositionLostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One open {@code GET /sse} response: its channel and its subscriptions. When one subscription
 * cannot go on (Kafka away too long, the room's epoch changed) the client gets a {@code notice}
 * event and the response ends, so that its {@code EventSource} reconnects and resumes every room
 * from its {@code Last-Event-ID} — learning of any gap then, as a WebSocket client does on resume.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
final class SseStream {
    private static final Logger log = LoggerFactory.getLogger(SseStream.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String id;
    private final String remote;
    private final SseChannel channel;
    private final long deadlineMillis;
    private final SseMetrics metrics;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final AtomicBoolean ended = new AtomicBoolean();

    SseStream(String id, String remote, SseChannel channel, long deadlineMillis, SseMetrics metrics) {
        this.id = id;
        this.remote = remote;
        this.channel = channel;
        this.deadlineMillis = deadlineMillis;
        this.metrics = metrics;
    }

    SseChannel channel() {
        return channel;
    }

    /** Epoch ms when the token expires and the response ends (the client reconnects with a fresh cookie). */
    long deadlineMillis() {
        return deadlineMillis;
    }

    String id() {
        return id;
    }

    String remote() {
        return remote;
    }

    void add(Subscription s) {
        subscriptions.add(s);
    }

    List<Subscription> subscriptions() {
        return subscriptions;
    }

    /** Starts every subscription; a worker thread. */
    void startSubscriptions() {
        subscriptions.forEach(Subscription::start);
    }

    /** Stops every subscription; called once the response is gone. May wait on subscription locks: a worker thread. */
    void stopSubscriptions() {
        ended.set(true);
        subscriptions.forEach(Subscription::close);
    }

    /** Ends the response on the edge's initiative, counted under {@code reason}. Any thread. */
    /** Closes at once: the client reads nothing any more, so nothing queued would reach it. */
    void abort(String reason) {
        metrics.closed(reason);
        log.atInfo().addKeyValue("stream", id).addKeyValue("remote", remote).addKeyValue("reason", reason).log("closing SSE stream");
        channel.close();
    }

    /** Ends the response after what is queued. */
    void end(String reason) {
        metrics.closed(reason);
        log.atInfo().addKeyValue("stream", id).addKeyValue("remote", remote).addKeyValue("reason", reason).log("closing SSE stream");
        // After what is queued (a drain's reconnect, a notice): closing at once could drop it. A
        // client that reads nothing any more is closed by the write timeout.
        channel.finish();
    }

    SubscriptionEvents events() {
        return new SubscriptionEvents() {
            @Override
            public void failed(Subscription s, Throwable cause) {
                if (ended.get()) {
                    return;
                }
                boolean lost = cause instanceof LivePositionLostException;
                if (!lost) {
                    log.atWarn().addKeyValue("stream", id).addKeyValue("room", s.location().room()).setCause(cause).log("SSE subscription failed");
                }
                ObjectNode notice = JSON.createObjectNode();
                notice.put("op", "error");
                notice.put("room", s.location().room().value());
                notice.put("code", "unavailable");
                notice.put("message", (lost ? cause.getMessage() : "Kafka is unavailable")
                        + "; reconnect with Last-Event-ID to resume and learn what was lost");
                channel.force(notice.toString(), "notice", null);
                end("notice");
            }
        };
    }
}
