package io.roomcast.compact;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The characters of answers that all the {@link AnswerCompactor}s of one process may hold back at
 * once. Each compactor is bounded by itself (open answers, characters per answer), but a late
 * joiner's compacted catch-up holds up to its bounds for as long as it reads, so without this tally
 * a crowd of them reading a room full of unfinished answers could hold gigabytes. When it is spent,
 * a compactor stops holding: what it held of that answer goes out at once as a partial and the
 * token passes through as it is (nothing is lost; the client appends both, in order).
 *
 * <p>Thread-safe: compactors of different subscriptions charge it from different threads.
 */
public final class AnswerBudget {
    /** 16 Mi characters: 32 MiB of heap at two bytes each, the most a process holds back at once. */
    public static final long DEFAULT_CHARS = 16L * 1024 * 1024;

    private final long limit;
    private final AtomicLong held = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    public AnswerBudget(long limitChars) {
        if (limitChars < 0) {
            throw new IllegalArgumentException("the budget must not be negative: " + limitChars);
        }
        this.limit = limitChars;
    }

    /** Charges {@code chars} if they fit under the limit; false (and nothing charged) if not. */
    boolean tryHold(int chars) {
        long now = held.get();
        while (true) {
            if (now + chars > limit) {
                refused.incrementAndGet();
                return false;
            }
            long witness = held.compareAndExchange(now, now + chars);
            if (witness == now) {
                return true;
            }
            now = witness;
        }
    }

    /** Gives back characters charged by {@link #tryHold}. */
    void release(long chars) {
        held.addAndGet(-chars);
    }

    /** Characters held right now, all compactors together. */
    public long held() {
        return held.get();
    }

    public long limit() {
        return limit;
    }

    /** Tokens passed through uncompacted because the budget was spent. */
    public long refused() {
        return refused.get();
    }
}
