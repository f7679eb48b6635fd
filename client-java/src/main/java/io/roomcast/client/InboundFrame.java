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

    /** {@code ack}; an ephemeral signal's ack has no offset ({@code -1} here). */
    record AckFrame(Long id, String room, long offset, boolean ephemeral) implements InboundFrame {
    }

    /** {@code event} with {@code "ephemeral":true}: a signal without offset. */
    record EphemeralFrame(EphemeralEvent event) implements InboundFrame {
    }

    /** {@code partial}: the tokens so far of an answer still streaming (compact history). */
    record PartialFrame(PartialAnswer partial) implements InboundFrame {
    }

    /** {@code snapshot}: a room's state as of an offset, answering subscribe {@code id}. */
    record SnapshotFrame(Long id, Snapshot snapshot) implements InboundFrame {
    }

    /** {@code join} ({@code joined}) or {@code leave}. */
    record MembershipFrame(String room, boolean joined, Member member, int count) implements InboundFrame {
    }

    /** {@code sync}: the joins since {@code subscribed} listed everyone present. */
    record SyncFrame(String room, int count) implements InboundFrame {
    }

    /** {@code presence}: an answer (with {@code id}) or a count notice; {@code members} null when not listed. */
    record PresenceFrame(Long id, String room, java.util.List<Member> members, int count) implements InboundFrame {
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
