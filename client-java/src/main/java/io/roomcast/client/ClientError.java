package io.roomcast.client;

import java.util.Objects;
import java.util.Optional;

/**
 * An error reported to an application: an {@code error} frame from the edge, or a condition the client detected.
 *
 * @param code    the catalogued code
 * @param message a human-readable explanation (for {@link ErrorCode#UNKNOWN} it names the raw code)
 * @param room    the room the error is about, or null when it is about the connection
 */
public record ClientError(ErrorCode code, String message, String room) {

    public ClientError {
        Objects.requireNonNull(code, "code");
        message = message == null ? code.wireName() : message;
    }

    public Optional<String> roomName() {
        return Optional.ofNullable(room);
    }

    /** The error as an exception, for failing futures. */
    public RoomcastException toException() {
        return new RoomcastException(this);
    }
}
