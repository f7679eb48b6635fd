package io.roomcast.client;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the work a client has queued but not done: received messages the loop has not handled yet and listener
 * callbacks not run yet, one unit each. The transport stops reading the socket when the budget is spent; each
 * finished unit is {@link #release released} and, once the backlog is down to half, the loop is signalled to read
 * again. So slow listeners push back on the
 * edge (whose own buffer and lossless policy take over) instead of growing memory. Thread-safe.
 */
final class DeliveryBudget {

    private final int limit;
    private final Runnable onRelief;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicBoolean exhausted = new AtomicBoolean();

    DeliveryBudget(int limit, Runnable onRelief) {
        this.limit = limit;
        this.onRelief = onRelief;
    }

    /** One callback queued. */
    void take() {
        outstanding.incrementAndGet();
    }

    /** True when the loop must stop reading; then {@code onRelief} runs once the backlog is down to half. */
    boolean spent() {
        if (outstanding.get() < limit) {
            return false;
        }
        exhausted.set(true);
        // a release may have happened between the check and the flag
        if (outstanding.get() <= limit / 2 && exhausted.compareAndSet(true, false)) {
            onRelief.run();
        }
        return true;
    }

    /** One callback finished. */
    void release() {
        int now = outstanding.decrementAndGet();
        if (now <= limit / 2 && exhausted.compareAndSet(true, false)) {
            onRelief.run();
        }
    }

    int outstanding() {
        return outstanding.get();
    }
}
