package io.roomcast.client;

/**
 * A frame from the edge, as parsed by {@link FrameCodec}. Request ids are the client's own longs; an id the edge
 * echoes that is not an integer cannot be one of ours and is read as null.
 */
sealed interface InboundFrame {

    /** {@code subscribed}; {@code recovered} is null when the edge did not send it; {@code gap} null unless lost. */
    record SubscribedFrame(Long id, String room, String epoch, Boolean recovered, GapInfo gap) implements InboundFrame {
    }

    /** The {@code gap} object of a {@code subscribed} frame. */
    record GapInfo(String reason, long after, long resumeAt) {
    }

    /** {@code event}. */
    record EventFrame(RoomEvent event) implements InboundFrame {
    }

    /** {@code live}. */
    record LiveFrame(String room, long offset) implements InboundFrame {
    }

    /** {@code unsubscribed}. */
    record UnsubscribedFrame(Long id, String room) implements InboundFrame {
    }

    /** {@code ack}. */
    record AckFrame(Long id, String room, long offset) implements InboundFrame {
    }

    /** {@code pong}. */
    record PongFrame(Long id) implements InboundFrame {
    }

    /** {@code error}; {@code code} is the raw wire code. */
    record ErrorFrame(Long id, String room, String code, String message) implements InboundFrame {
    }

    /** {@code dropped}: a lossy subscription skipped {@code count} live events with offsets {@code first..last}. */
    record DroppedFrame(String room, long count, long first, long last) implements InboundFrame {
    }

    /** {@code authed}: a token refresh was accepted; {@code expiresAt} (ms) is null on an edge without auth. */
    record AuthedFrame(Long id, Long expiresAt) implements InboundFrame {
    }

    /** {@code reconnect}: the edge is going away; reconnect after {@code delayMs} (0 when absent). */
    record ReconnectFrame(String reason, long delayMs) implements InboundFrame {
    }
}
