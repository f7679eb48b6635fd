package io.roomcast.client;

import java.util.Objects;
import java.util.Optional;

/**
 * An error reported to an application: an {@code error} frame from the edge, or a condition the client detected.
 *
 * @param code    the catalogued code
 * @param message a human-readable explanation (for {@link ErrorCode#UNKNOWN} it names the raw code)
 * @param room    the room the error is about, or null when it is about the connection
 * @param eventId for a failed publish, its event id (null without one, and for any other error)
 * @param maybeWritten for a failed publish, whether it may have been written all the same: it was sent, or repeats an
 *                     attempt that was. Publish it again with the same event id and {@link PublishOptions#asRetry()},
 *                     never with a new one. False for any other error
 */
public record ClientError(ErrorCode code, String message, String room, String eventId, boolean maybeWritten) {

    public ClientError {
        Objects.requireNonNull(code, "code");
        message = message == null ? code.wireName() : message;
    }

    /** An error that is not about one publish. */
    public ClientError(ErrorCode code, String message, String room) {
        this(code, message, room, null, false);
    }

    /** A publish failed: the error with its event id and whether it may have been written. */
    ClientError about(PendingPublish publish, boolean written) {
        return new ClientError(code, message, room, publish.eventId(), written);
    }

    public Optional<String> roomName() {
        return Optional.ofNullable(room);
    }

    /** The error as an exception, for failing futures. */
    public RoomcastException toException() {
        return new RoomcastException(this);
    }
}
