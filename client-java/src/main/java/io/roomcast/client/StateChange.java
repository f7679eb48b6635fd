package io.roomcast.client;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * A transition of the client's {@link ConnectionState}.
 *
 * @param previous the state before
 * @param current  the state now
 * @param edge     the edge the client is now connected to ({@code OPEN}), or null
 * @param cause    why the client left {@code OPEN} or closed (null for a transition to {@code OPEN} and for
 *                 {@link RoomcastClient#close()})
 */
public record StateChange(ConnectionState previous, ConnectionState current, URI edge, ClientError cause) {

    public StateChange {
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
    }

    public Optional<ClientError> causeOptional() {
        return Optional.ofNullable(cause);
    }
}
