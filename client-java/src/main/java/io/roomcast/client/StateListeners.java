package io.roomcast.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link StateListener}s of one client; changes reach them in order on the client's callback executor. */
final class StateListeners {

    private static final Logger log = LoggerFactory.getLogger(StateListeners.class);

    private final List<StateListener> listeners = new CopyOnWriteArrayList<>();
    private final Executor callbacks;

    StateListeners(Executor callbacks) {
        this.callbacks = callbacks;
    }

    void add(StateListener listener) {
        listeners.add(listener);
    }

    void remove(StateListener listener) {
        listeners.remove(listener);
    }

    /** Tells every listener about {@code change}; a null change (a refused transition) tells nobody. */
    void publish(StateChange change) {
        if (change == null) {
            return;
        }
        callbacks.execute(() -> {
            for (StateListener l : listeners) {
                try {
                    l.onStateChange(change);
                } catch (RuntimeException e) {
                    log.atError().setCause(e).addKeyValue("state", change.current()).log("state listener threw");
                }
            }
        });
    }
}
