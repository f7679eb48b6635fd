package io.roomcast.edge.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.edge.protocol.ErrorCode;
import io.roomcast.edge.protocol.ServerFrames;
import io.roomcast.room.RoomName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * What one connection is told about its requests: answers and {@code error} frames (each error
 * counted by code), and the rate-limit strikes: a connection that exceeds its limits more than
 * {@code strikeLimit} times is closed instead of answered.
 *
 * <p>Thread-safety: any thread (the IO thread for checks, a worker or the producer's I/O thread for
 * outcomes); frames keep the order in which one thread hands them over ({@link FrameSink}).
 */
final class Answers {
    private static final Logger log = LoggerFactory.getLogger(Answers.class);

    private final String session;
    private final FrameSink sink;
    private final SessionMetrics metrics;
    private final int strikeLimit;
    private final Runnable closeRateLimited;
    private static final AtomicIntegerFieldUpdater<Answers> STRIKES = AtomicIntegerFieldUpdater.newUpdater(Answers.class, "strikes");
    private volatile int strikes;

    /** {@code closeRateLimited} closes the connection once the strikes are used up; it must not block. */
    Answers(String session, FrameSink sink, SessionMetrics metrics, int strikeLimit, Runnable closeRateLimited) {
        this.session = session;
        this.sink = sink;
        this.metrics = metrics;
        this.strikeLimit = strikeLimit;
        this.closeRateLimited = closeRateLimited;
    }

    /** Sends an answer (a control frame, never refused for room). Any thread. */
    void send(ByteBuffer frame) {
        sink.force(frame);
    }

    /**
     * Sends an {@code error} frame; {@code requestId} null makes it a notice, {@code room} null a connection-wide one.
     * Logged at DEBUG only: a refusal is the client's concern, and the edge's own failures are logged where they are
     * handled. Any thread.
     */
    void error(JsonNode requestId, String room, ErrorCode code, String message) {
        metrics.error(code);
        log.atDebug().addKeyValue("session", session).addKeyValue("id", requestId).addKeyValue("room", room)
                .addKeyValue("code", code.wire()).addKeyValue("reason", message).log("error sent");
        sink.force(ServerFrames.error(requestId, room, code, message));
    }

    /**
     * Answers a request with an {@code error} naming its room, if it had an {@code id}: without one the
     * answer carries no room either, so that it is never taken for a notice (an error without an id that
     * names a room says the room's subscription ended). Any thread.
     */
    void refuse(JsonNode requestId, String room, ErrorCode code, String message) {
        error(requestId, requestId == null ? null : room, code, message);
    }

    /**
     * Answers a request over a rate limit with {@code rate_limited}, or closes the connection when it
     * keeps exceeding its limits. Any thread.
     */
    void rateLimited(JsonNode requestId, String room, String message) {
        int strikes = STRIKES.incrementAndGet(this);
        if (strikes > strikeLimit) {
            if (strikes == strikeLimit + 1) {
                // once: the connection is closing, and the requests still arriving go unanswered
                closeRateLimited.run();
            }
            return;
        }
        refuse(requestId, room, ErrorCode.RATE_LIMITED, message);
    }

    /**
     * Runs {@code work} on {@code worker}; when its queue is full, answers {@code unavailable}
     * instead and returns false. IO thread (or any thread that must not wait).
     */
    boolean execute(Executor worker, JsonNode requestId, RoomName room, Runnable work) {
        try {
            worker.execute(work);
            return true;
        } catch (RejectedExecutionException e) {
            refuse(requestId, room == null ? null : room.value(), ErrorCode.UNAVAILABLE, "edge is overloaded; retry");
            return false;
        }
    }
}
