package io.roomcast.client;

import java.nio.charset.StandardCharsets;
import java.util.Deque;

/**
 * Joins queued frame objects into one text frame: a single object as it is, several as a JSON array (a protocol
 * batch) of at most {@link #MAX_BATCH} objects, never above the frame size limit except for one object that alone is
 * larger (the caller checks publishes against the limit before queueing them). The edge refuses a longer batch as a
 * whole and closes on a larger message (1009).
 */
final class FrameBatcher {
    /** The catalogue's {@code endpoint.maxBatch}: the most objects the edge takes in one message. */
    static final int MAX_BATCH = 100;

    private FrameBatcher() {
    }

    /**
     * Removes from {@code queue} as many frames as fit into {@code maxBytes} and {@link #MAX_BATCH} (at least one) and
     * returns the text frame.
     */
    static String next(Deque<String> queue, int maxBytes) {
        String first = queue.removeFirst();
        if (queue.isEmpty()) {
            return first;
        }
        StringBuilder batch = new StringBuilder(first.length() * 2).append('[').append(first);
        long bytes = utf8Length(first) + 2;
        int objects = 1;
        while (!queue.isEmpty() && objects < MAX_BATCH) {
            String candidate = queue.peekFirst();
            long size = utf8Length(candidate) + 1;
            if (bytes + size > maxBytes) {
                break;
            }
            batch.append(',').append(queue.removeFirst());
            bytes += size;
            objects++;
        }
        if (objects == 1) {
            return first;
        }
        return batch.append(']').toString();
    }

    static long utf8Length(String s) {
        long ascii = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
            ascii++;
        }
        return ascii;
    }
}
