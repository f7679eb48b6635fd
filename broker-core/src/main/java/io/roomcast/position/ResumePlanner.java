package io.roomcast.position;

import java.util.List;

/**
 * Decides where a subscription starts, for all five start forms, from the requested start, the
 * current epoch, the hand-over offset L and what the edge's cache holds; where that is not
 * enough it names the one lookup in the log it needs ({@link #start}), and decides once the log
 * answered ({@link #withLookup}). Pure: no I/O, no clock. For a resume the epoch is checked first,
 * then retention, then the end.
 */
public final class ResumePlanner {
    private ResumePlanner() {
    }

    /** What the log must tell before a start can be planned, or the plan itself. */
    public sealed interface Lookup {
        /** Planned without the log. */
        record Done(ResumePlan plan) implements Lookup {
        }

        /** The partition's log start offset. */
        record LogStart() implements Lookup {
        }

        /**
         * The partition's end (its last stable offset): for a resume after an offset at or beyond L, which another edge
         * may well have delivered while this edge's live tail is behind the log.
         */
        record LogEnd() implements Lookup {
        }

        /** The offset of the first of the room's last {@code count} events below L. */
        record StartOfLast(int count) implements Lookup {
        }

        /** The first offset whose record time is at or after {@code timestamp}. */
        record OffsetForTime(long timestamp) implements Lookup {
        }
    }

    /**
     * The first step for any start.
     *
     * @param handover        the hand-over offset L: history is everything below it
     * @param cacheCoversFrom the cache holds every event of the room from here up to L
     * @param cachedOffsets   the offsets of the room's cached events below L, in order
     */
    public static Lookup start(StartPoint from, Epoch current, long handover, long cacheCoversFrom, List<Long> cachedOffsets) {
        if (from instanceof StartPoint.Latest) {
            return new Lookup.Done(ResumePlan.live(handover));
        }
        if (from instanceof StartPoint.After after) {
            if (servableFromCache(after, current, cacheCoversFrom, handover)) {
                return new Lookup.Done(ResumePlan.complete(after.offset() + 1));
            }
            return beyondHandover(after, current, handover) ? new Lookup.LogEnd() : new Lookup.LogStart();
        }
        if (from instanceof StartPoint.Earliest) {
            return new Lookup.LogStart();
        }
        if (from instanceof StartPoint.Last last) {
            return cachedOffsets.size() >= last.count()
                    ? new Lookup.Done(ResumePlan.complete(cachedOffsets.get(cachedOffsets.size() - last.count())))
                    : new Lookup.StartOfLast(last.count());
        }
        return new Lookup.OffsetForTime(((StartPoint.Time) from).timestamp());
    }

    /** The plan once the log answered the lookup {@link #start} named with {@code answer}. */
    public static ResumePlan withLookup(StartPoint from, Epoch current, long handover, long answer) {
        if (from instanceof StartPoint.After after && beyondHandover(after, current, handover)) {
            // The answer is the log's end: a position the log holds is exact (its live events up to it are skipped).
            return after.offset() < answer ? ResumePlan.complete(after.offset() + 1)
                    : ResumePlan.gap(new Gap(Gap.Reason.UNKNOWN_POSITION, after.offset(), handover));
        }
        if (from instanceof StartPoint.After after) {
            return after(after, current, new LogBounds(Math.min(answer, handover), handover));
        }
        if (from instanceof StartPoint.Earliest || from instanceof StartPoint.Last || from instanceof StartPoint.Time) {
            // The log start, the start of the last N, or the first record at the time: never beyond L.
            return ResumePlan.complete(Math.min(answer, handover));
        }
        throw new IllegalArgumentException(from + " needs no lookup");
    }

    /** The plan for {@code after}: exact when possible, otherwise an explicit gap. */
    public static ResumePlan after(StartPoint.After after, Epoch current, LogBounds bounds) {
        long n = after.offset();
        if (!after.epoch().equals(current)) {
            return ResumePlan.gap(new Gap(Gap.Reason.EPOCH, n, bounds.logStart()));
        }
        if (n + 1 < bounds.logStart()) {
            return ResumePlan.gap(new Gap(Gap.Reason.RETENTION, n, bounds.logStart()));
        }
        if (n >= bounds.handover()) {
            return ResumePlan.gap(new Gap(Gap.Reason.UNKNOWN_POSITION, n, bounds.handover()));
        }
        return ResumePlan.complete(n + 1);
    }

    /** A resume in the current epoch after an offset this edge's live tail has not passed yet: only the log's end decides it. */
    private static boolean beyondHandover(StartPoint.After after, Epoch current, long handover) {
        return after.epoch().equals(current) && after.offset() >= handover;
    }

    /**
     * Whether the history cache alone can serve a resume after {@code n}: the cache holds every
     * event of the room from {@code cacheCoversFrom} on, and the epoch is the cache's.
     */
    public static boolean servableFromCache(StartPoint.After after, Epoch current, long cacheCoversFrom, long handover) {
        return after.epoch().equals(current) && after.offset() + 1 >= cacheCoversFrom && after.offset() < handover;
    }
}
