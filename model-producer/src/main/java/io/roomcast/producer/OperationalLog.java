package io.roomcast.producer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.roomcast.room.RoomName;

import java.time.Clock;

/**
 * Publishes the producer's own operational log lines (generation lifecycle, backend failures,
 * latencies) as {@code log} events into a log room, e.g. {@code logs:model-producer} in topic
 * {@code roomcast.logs}, so a dashboard can tail them like any shipped log. Best effort: a line
 * is dropped (and counted) rather than slowing a generation down when Kafka is slow.
 * Thread-safe.
 */
public final class OperationalLog {
    private final RoomPublisher publisher;
    private final ObjectMapper json;
    private final String topic;
    private final RoomName room;
    private final LogEvent.LogSource source;
    private final Clock clock;
    private final Counter dropped;
    private final boolean enabled;

    public OperationalLog(RoomPublisher publisher, ObjectMapper json, String topic, RoomName room, LogEvent.LogSource source,
                          Clock clock, Counter dropped, boolean enabled) {
        this.publisher = publisher;
        this.json = json;
        this.topic = topic;
        this.room = room;
        this.source = source;
        this.clock = clock;
        this.dropped = dropped;
        this.enabled = enabled;
    }

    /** Publishes {@code message} followed by {@code key=value} pairs ({@code keyValues} alternates keys and values). */
    public void log(String level, String logger, String message, Object... keyValues) {
        if (!enabled) {
            return;
        }
        StringBuilder line = new StringBuilder(message);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.append(' ').append(keyValues[i]).append('=').append(keyValues[i + 1]);
        }
        LogEvent event = new LogEvent(line.toString(), level, clock.instant(), logger, Thread.currentThread().getName(), source);
        if (!publisher.tryPublish(topic, room, EventTypes.LOG, event.toJson(json))) {
            dropped.increment();
        }
    }
}
