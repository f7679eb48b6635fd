package io.roomcast.client;

import java.net.URI;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The allowed transitions of {@link ConnectionState} and the current state. Transitions are lock-free
 * ({@code AtomicReference}) so {@link #current()} can be read from any thread; a transition that is not allowed
 * (for example anything after {@code CLOSED}) is refused and changes nothing.
 */
final class ConnectionStateMachine {

    private static final Map<ConnectionState, Set<ConnectionState>> ALLOWED = Map.of(
            ConnectionState.CONNECTING, EnumSet.of(ConnectionState.OPEN, ConnectionState.CLOSED),
            ConnectionState.OPEN, EnumSet.of(ConnectionState.RECONNECTING, ConnectionState.CLOSED),
            ConnectionState.RECONNECTING, EnumSet.of(ConnectionState.OPEN, ConnectionState.CLOSED),
            ConnectionState.CLOSED, EnumSet.noneOf(ConnectionState.class));

    private final AtomicReference<ConnectionState> state = new AtomicReference<>(ConnectionState.CONNECTING);

    static boolean allowed(ConnectionState from, ConnectionState to) {
        return ALLOWED.get(from).contains(to);
    }

    ConnectionState current() {
        return state.get();
    }

    /** Moves to {@code target}; returns the change, or null when the transition is not allowed from the current state. */
    StateChange moveTo(ConnectionState target, URI edge, ClientError cause) {
        ConnectionState previous = state.getAndUpdate(s -> allowed(s, target) ? target : s);
        return allowed(previous, target) ? new StateChange(previous, target, edge, cause) : null;
    }
}
