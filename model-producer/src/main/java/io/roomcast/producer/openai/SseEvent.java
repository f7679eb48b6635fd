package io.roomcast.producer.openai;

import java.util.Objects;

/**
 * One dispatched server-sent event. {@code event} is the event type ({@code message} when the
 * stream named none); {@code data} is the data lines joined by {@code \n}; {@code id} is the
 * last event id seen, or empty.
 */
public record SseEvent(String event, String data, String id) {
    public static final String DEFAULT_TYPE = "message";

    public SseEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(id, "id");
    }

    public static SseEvent data(String data) {
        return new SseEvent(DEFAULT_TYPE, data, "");
    }
}
