package io.roomcast.bench.fuzz;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends {@code frames} fuzzed frames to an edge over {@code connections} parallel connections, each
 * paced to {@code perConnectionRate} frames per second (under the edge's per-connection frame
 * limit, so that most frames reach the parser rather than the rate limiter). A connection the edge
 * closes is replaced. Blocks until done.
 */
public final class FrameFuzzer {
    private final URI ws;
    private final String watchedRoom;
    private final int maxFrameBytes;
    private final int connections;
    private final int perConnectionRate;
    private final long seed;

    public FrameFuzzer(URI ws, String watchedRoom, int maxFrameBytes, int connections, int perConnectionRate, long seed) {
        this.ws = ws;
        this.watchedRoom = watchedRoom;
        this.maxFrameBytes = maxFrameBytes;
        this.connections = connections;
        this.perConnectionRate = perConnectionRate;
        this.seed = seed;
    }

    public void run(long frames, FuzzTally tally) throws InterruptedException {
        AtomicLong budget = new AtomicLong(frames);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            FrameMutator mutator = new FrameMutator(seed + i, watchedRoom, maxFrameBytes);
            Thread t = new Thread(() -> sendUntilSpent(mutator, budget, tally), "fuzz-sender-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void sendUntilSpent(FrameMutator mutator, AtomicLong budget, FuzzTally tally) {
        FuzzConnection c = null;
        long started = 0;
        long sentOnConnection = 0;
        int refusedInARow = 0;
        try {
            while (budget.get() > 0) {
                if (c == null || c.ended()) {
                    if (c != null) {
                        c.close();
                    }
                    try {
                        c = new FuzzConnection(ws, tally);
                        refusedInARow = 0;
                    } catch (IOException e) {
                        c = null;
                        if (++refusedInARow > 100) {
                            tally.failure("edge refused 100 connections in a row: " + e.getMessage());
                            return;
                        }
                        Thread.sleep(Math.min(1000, 10L * refusedInARow)); // back off: the edge limits connection attempts
                        continue;
                    }
                    started = System.nanoTime();
                    sentOnConnection = 0;
                }
                FrameMutator.Case next = mutator.next();
                if (!c.send(next.frames())) {
                    continue;
                }
                int n = next.frames().size();
                tally.sent(next.kind().name(), n);
                budget.addAndGet(-n);
                sentOnConnection += n;
                long due = started + sentOnConnection * 1_000_000_000L / perConnectionRate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (c != null) {
                c.close();
            }
        }
    }
}
