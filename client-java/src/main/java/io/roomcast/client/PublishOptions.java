package io.roomcast.client;

import java.util.regex.Pattern;

/**
 * Options of one publish: the event type and an optional publisher-chosen event id (stored in the record's {@code id}
 * header; it comes back on the event so a publisher can recognise its own event, for example after
 * {@link ErrorCode#TIMEOUT}). Immutable.
 *
 * @param type    1-64 characters of {@code [A-Za-z0-9._:-]}
 * @param eventId null, or 1-128 printable ASCII characters
 */
public record PublishOptions(String type, String eventId) {

    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern EVENT_ID = Pattern.compile("[\\x20-\\x7E]{1,128}");
    private static final PublishOptions DEFAULTS = new PublishOptions("message", null);

    public PublishOptions {
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("type must be 1-64 characters of [A-Za-z0-9._:-]: " + type);
        }
        if (eventId != null && !EVENT_ID.matcher(eventId).matches()) {
            throw new IllegalArgumentException("eventId must be 1-128 printable ASCII characters");
        }
    }

    /** Type {@code message}, no event id. */
    public static PublishOptions ofDefaults() {
        return DEFAULTS;
    }

    public static PublishOptions ofType(String type) {
        return new PublishOptions(type, null);
    }

    public PublishOptions withType(String newType) {
        return new PublishOptions(newType, eventId);
    }

    public PublishOptions withEventId(String newEventId) {
        return new PublishOptions(type, newEventId);
    }
}
