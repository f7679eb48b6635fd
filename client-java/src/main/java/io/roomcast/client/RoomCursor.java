package io.roomcast.client;

import io.roomcast.client.InboundFrame.GapInfo;
import java.util.Optional;

/**
 * Where one subscription stands in its room, and the pure rules that keep delivery exact: which {@code from} to send
 * on (re)subscribe, which events are duplicates, how {@code live} and gaps move the position. The position is the
 * larger of the last accepted event offset and the last {@code live} offset; after a gap it is just before
 * {@code resumeAt}. Not thread-safe: owned by the client's loop.
 */
final class RoomCursor {

    /** What a {@code subscribed} frame means for the application: the confirmation and, when history was lost, a gap. */
    record SubscribedOutcome(Subscribed subscribed, Gap gap) {
    }

    private final String room;
    private final From initialFrom;
    private String epoch;
    /** The last offset accounted for, or null while unknown (then any event is new). */
    private Long lastOffset;
    private From requested;
    private boolean subscribedBefore;

    RoomCursor(String room, From initialFrom) {
        this.room = room;
        this.initialFrom = initialFrom;
        if (initialFrom instanceof From.After after) {
            epoch = after.epoch();
            lastOffset = after.offset();
        }
    }

    /**
     * The {@code from} of the next subscribe: {@code after} the position once there is one, otherwise the
     * application's initial {@code from}. Remembered to judge the answer.
     */
    From nextFrom() {
        requested = position().<From>map(Position::toFrom).orElse(initialFrom);
        return requested;
    }

    /** Applies a {@code subscribed} answer to the last {@link #nextFrom()}. */
    SubscribedOutcome onSubscribed(String newEpoch, Boolean recovered, GapInfo gapInfo) {
        boolean resumed = subscribedBefore;
        subscribedBefore = true;
        Gap gap = null;
        long askedAfter = requested instanceof From.After after ? after.offset() : -1;
        if (Boolean.FALSE.equals(recovered)) {
            gap = gapInfo != null
                    ? new Gap(room, gapInfo.reason(), gapInfo.after(), gapInfo.resumeAt(), newEpoch)
                    : new Gap(room, Gap.UNKNOWN, askedAfter, -1, newEpoch);
        } else if (requested instanceof From.After after && !after.epoch().equals(newEpoch)) {
            // an edge must not claim recovery across epochs; never let offsets of two histories mix silently
            gap = new Gap(room, Gap.EPOCH, after.offset(), -1, newEpoch);
        }
        if (gap != null) {
            lastOffset = gap.resumeAt() >= 0 ? gap.resumeAt() - 1 : null;
        }
        epoch = newEpoch;
        return new SubscribedOutcome(new Subscribed(room, newEpoch, gap == null, resumed), gap);
    }

    /** True when the event is new and must be delivered; false for a duplicate (offset at or below the position). */
    boolean accept(long offset) {
        if (lastOffset != null && offset <= lastOffset) {
            return false;
        }
        lastOffset = offset;
        return true;
    }

    /**
     * Applies a {@code snapshot}: the state up to {@code offset} is delivered and the events after it follow, so it is
     * the position (a resume continues after it instead of reading the snapshot again).
     */
    void onSnapshot(long offset, String snapshotEpoch) {
        lastOffset = offset;
        epoch = snapshotEpoch;
    }

    /**
     * Applies a {@code partial}: the held-back tokens of an answer, after the history's events. Its offset may lie
     * below events already delivered (tokens are held while later events pass), so it is never judged a duplicate by
     * the position (the application keeps each {@code seq} once); everything up to it is delivered, so the position is
     * at least that.
     */
    void onPartial(long offset) {
        onLive(offset);
    }

    /** Applies {@code live}: history up to {@code offset} is delivered, so the position is at least that. */
    void onLive(long offset) {
        lastOffset = lastOffset == null ? offset : Math.max(lastOffset, offset);
    }

    /**
     * Applies {@code dropped}: the edge skipped live events up to {@code last} for a lossy subscription; they are not
     * fetched again on a resume. Returns the gap to report.
     */
    Gap onDropped(long count, long first, long last) {
        onLive(last);
        return Gap.dropped(room, count, first, last, epoch);
    }

    /** The resumable position, once both an epoch and an offset are known. */
    Optional<Position> position() {
        return epoch != null && lastOffset != null ? Optional.of(new Position(lastOffset, epoch)) : Optional.empty();
    }

    String room() {
        return room;
    }
}
