package io.roomcast.client;

/**
 * Observes the client's {@link ConnectionState}. Called on the client's listener executor, one change at a time in the
 * order the changes happened; it must not block for long.
 */
@FunctionalInterface
public interface StateListener {
    void onStateChange(StateChange change);
}
