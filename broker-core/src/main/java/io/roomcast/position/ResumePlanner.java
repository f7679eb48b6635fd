package io.roomcast.position;

/**
 * Decides where a resume starts, from the requested position, the current epoch and the log's
 * bounds. Pure: no I/O, no clock. The epoch is checked first, then retention, then the end.
 */
public final class ResumePlanner {
    private ResumePlanner() {
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

    /**
     * Whether the history cache alone can serve a resume after {@code n}: the cache holds every
     * event of the room from {@code cacheCoversFrom} on, and the epoch is the cache's.
     */
    public static boolean servableFromCache(StartPoint.After after, Epoch current, long cacheCoversFrom, long handover) {
        return after.epoch().equals(current) && after.offset() + 1 >= cacheCoversFrom && after.offset() < handover;
    }
}
