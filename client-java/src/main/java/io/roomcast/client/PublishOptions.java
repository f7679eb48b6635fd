package io.roomcast.client;

import java.util.regex.Pattern;

/**
 * Options of one publish: the event type and an optional publisher-chosen event id (stored in the record's {@code id}
 * header; it comes back on the event so a publisher can recognise its own event). An edge answers a publish whose id it
 * (or, for a {@code retry}, the room's recent log) already holds with the first write's offset instead of writing it
 * again. With an event id, a publish in flight when the connection breaks is resent by the client itself, marked
 * {@code retry}, and does not fail with {@link ErrorCode#CONNECTION_LOST} (only a publish without one does); after
 * {@link ErrorCode#TIMEOUT} publish again yourself with the same event id and {@link #asRetry()}. Immutable.
 *
 * @param type    1-64 characters of {@code [A-Za-z0-9._:-]}
 * @param eventId null, or 1-128 printable ASCII characters without spaces
 * @param retry   this publish may have been written before: the edge looks the event id up in Kafka
 */
public record PublishOptions(String type, String eventId, boolean retry) {

    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern EVENT_ID = Pattern.compile("[\\x21-\\x7E]{1,128}");
    private static final PublishOptions DEFAULTS = new PublishOptions("message", null, false);

    public PublishOptions {
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("type must be 1-64 characters of [A-Za-z0-9._:-]: " + type);
        }
        if (eventId != null && !EVENT_ID.matcher(eventId).matches()) {
            throw new IllegalArgumentException("eventId must be 1-128 printable ASCII characters without spaces");
        }
        if (retry && eventId == null) {
            throw new IllegalArgumentException("a retry needs an eventId: without one the edge cannot recognise the first write");
        }
    }

    /** Type {@code message}, no event id. */
    public static PublishOptions ofDefaults() {
        return DEFAULTS;
    }

    public static PublishOptions ofType(String type) {
        return new PublishOptions(type, null, false);
    }

    public PublishOptions withType(String newType) {
        return new PublishOptions(newType, eventId, retry);
    }

    public PublishOptions withEventId(String newEventId) {
        return new PublishOptions(type, newEventId, retry);
    }

    /** The same publish sent again: written only if no edge can find the event id in the room's recent log. */
    public PublishOptions asRetry() {
        return new PublishOptions(type, eventId, true);
    }
}
