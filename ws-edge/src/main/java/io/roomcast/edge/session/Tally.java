package io.roomcast.edge.session;

/**
 * What a run of bytes on their way to a socket stands for: the bytes charged for them (the frames'
 * own, without WebSocket headers or batch brackets), the events, the control frames and the
 * WebSocket messages. Released together, once, when the socket has taken the bytes or the
 * connection is gone ({@code Outbound}'s budget and the edge's counters).
 *
 * <p>Thread-safety: used only by one IO thread.
 */
final class Tally {
    int size;
    int count;
    int controls;
    int messages;

    /** One more message of {@code size} charged bytes carrying {@code count} events and {@code controls} control frames. */
    void add(int size, int count, int controls) {
        this.size += size;
        this.count += count;
        this.controls += controls;
        this.messages++;
    }

    /** Adds what {@code other} stands for (which its owner then resets). */
    void add(Tally other) {
        size += other.size;
        count += other.count;
        controls += other.controls;
        messages += other.messages;
    }

    void reset() {
        size = 0;
        count = 0;
        controls = 0;
        messages = 0;
    }
}
