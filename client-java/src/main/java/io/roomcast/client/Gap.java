package io.roomcast.client;

import java.util.Objects;

/**
 * A break in a subscription's history: the client asked to resume but the edge could not deliver every event after
 * the position ({@code recovered:false}). The application must reset its view of the room; delivery continues from
 * {@link #resumeAt()}.
 *
 * @param room     the room
 * @param reason   {@code retention}, {@code epoch}, {@code unknown_position}, or another reason the edge gave;
 *                 {@code dropped} when a lossy subscription ({@code drop-oldest}, {@code latest-only}) skipped live
 *                 events from {@code after + 1} to {@code resumeAt - 1}
 * @param after    the offset the client asked to resume after ({@code -1} when unknown)
 * @param resumeAt the first offset delivered again ({@code -1} when the edge did not say)
 * @param epoch    the epoch delivery continues in
 * @param count    for {@code dropped}: how many events were skipped; otherwise -1
 * @param first    for {@code dropped}: the offset of the first skipped event; otherwise -1
 * @param last     for {@code dropped}: the offset of the last skipped event; otherwise -1
 */
public record Gap(String room, String reason, long after, long resumeAt, String epoch, long count, long first, long last) {

    /** Events after the position were deleted by Kafka's retention. */
    public static final String RETENTION = "retention";
    /** The position belongs to another history (topic re-created or re-partitioned). */
    public static final String EPOCH = "epoch";
    /** The position lies beyond the end of the room's partition. */
    public static final String UNKNOWN_POSITION = "unknown_position";
    /** A lossy subscription skipped {@link #count()} live events with offsets {@link #first()}..{@link #last()}. */
    public static final String DROPPED = "dropped";
    /** The edge answered {@code recovered:false} without saying why. */
    public static final String UNKNOWN = "unknown";

    public Gap {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(reason, "reason");
    }

    /** A gap of a resume ({@code recovered:false}): count, first and last are -1. */
    public Gap(String room, String reason, long after, long resumeAt, String epoch) {
        this(room, reason, after, resumeAt, epoch, -1, -1, -1);
    }

    /** The gap of a {@code dropped} frame. */
    static Gap dropped(String room, long count, long first, long last, String epoch) {
        return new Gap(room, DROPPED, first - 1, last + 1, epoch, count, first, last);
    }
}
