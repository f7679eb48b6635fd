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
 */
public record Gap(String room, String reason, long after, long resumeAt, String epoch) {

    public Gap {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(reason, "reason");
    }
}
