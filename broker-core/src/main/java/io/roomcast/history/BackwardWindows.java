package io.roomcast.history;

/**
 * The windows of a backward scan of a partition: ranges {@code [start, end)} from an end offset
 * towards the log start, the first {@code firstWindow} records long, each next one {@code growth}
 * times longer (at most {@code maxWindow}), until the log start or until {@code budget} records
 * were covered (the last window is cut to the budget, so a scan looks at {@code budget} records at most). The caller scans each window forwards with
 * a {@link PartitionScanner} and stops early once it found enough. Used by the edge's
 * {@code last N} and by the model producer's conversation context.
 *
 * <p>Threading: one scan's, used by one thread at a time.
 */
public final class BackwardWindows {
    private final long logStart;
    private final int growth;
    private final long maxWindow;
    private final long budget;
    private long end;
    private long window;
    private long covered;

    /** A window of offsets, {@code [start, end)}. */
    public record Window(long start, long end) {
        public long size() {
            return end - start;
        }
    }

    public BackwardWindows(long end, long logStart, long firstWindow, int growth, long maxWindow, long budget) {
        if (firstWindow < 1 || growth < 1 || maxWindow < 1) {
            throw new IllegalArgumentException("windows must be positive and growing");
        }
        this.end = end;
        this.logStart = logStart;
        this.window = firstWindow;
        this.growth = growth;
        this.maxWindow = maxWindow;
        this.budget = budget;
    }

    /** Whether another window remains: the log start is not reached and the budget not spent. */
    public boolean hasNext() {
        return end > logStart && covered < budget;
    }

    /** The next window, older than the previous one; call {@link #hasNext()} first. */
    public Window next() {
        if (!hasNext()) {
            throw new IllegalStateException("the backward scan is over");
        }
        long start = Math.max(logStart, end - Math.min(Math.min(window, maxWindow), budget - covered));
        Window next = new Window(start, end);
        covered += end - start;
        end = start;
        window = Math.min(window * growth, maxWindow);
        return next;
    }

    /** Where the scan got to: the start of the last window, or the given end when none was taken. */
    public long reached() {
        return Math.max(logStart, end);
    }
}
