package io.roomcast.client;

import java.time.Duration;
import java.time.Instant;

/**
 * The app-level liveness check of one connection: send a {@code ping} every interval; a {@code ping} after which
 * nothing at all arrives within the timeout means the connection is dead. Any message counts as a sign of life, not
 * only the ping's {@code pong}, which the edge queues behind what it already has for the client (a long replay, say):
 * as the JavaScript client does (docs/clients.md). While the client has stopped reading
 * (backpressure from slow listeners) the pong may sit unread in the socket, so the timeout is not judged then. Pure:
 * the caller supplies the time. Not thread-safe: owned by the client's loop.
 */
final class Heartbeat {

    enum Action { NONE, SEND_PING, DEAD }

    private final Duration interval;
    private final Duration timeout;
    private Instant lastPingAt;
    private Long awaitedId;

    Heartbeat(Duration interval, Duration timeout) {
        this.interval = interval;
        this.timeout = timeout;
    }

    /** A connection opened: the first ping is due one interval later. */
    void opened(Instant now) {
        lastPingAt = now;
        awaitedId = null;
    }

    /** What to do at {@code now}. */
    Action tick(Instant now, boolean readingPaused) {
        if (lastPingAt == null) {
            return Action.NONE;
        }
        Duration since = Duration.between(lastPingAt, now);
        if (awaitedId != null) {
            return !readingPaused && since.compareTo(timeout) >= 0 ? Action.DEAD : Action.NONE;
        }
        return since.compareTo(interval) >= 0 ? Action.SEND_PING : Action.NONE;
    }

    void pingSent(long id, Instant now) {
        awaitedId = id;
        lastPingAt = now;
    }

    /** A message arrived from the edge: the connection is alive, whatever the message. */
    void received() {
        awaitedId = null;
    }

    /** The connection is gone; nothing is due until the next {@link #opened}. */
    void stopped() {
        lastPingAt = null;
        awaitedId = null;
    }

    /** How often the caller should {@link #tick}: a quarter of the shorter period, within 10 ms..1 s. */
    static Duration tickPeriod(Duration... periods) {
        Duration shortest = Duration.ofSeconds(4);
        for (Duration p : periods) {
            shortest = p.compareTo(shortest) < 0 ? p : shortest;
        }
        Duration quarter = shortest.dividedBy(4);
        return quarter.compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10) : quarter;
    }
}
