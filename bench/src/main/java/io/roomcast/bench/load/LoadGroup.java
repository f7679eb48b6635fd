package io.roomcast.bench.load;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;

/**
 * The simulated clients of one process, spread over a few {@link LoadLoop} threads: opens them,
 * measures them, drops them all at once and lets them all resume at once. One command at a time
 * (the agent's command thread); loops report through {@link LoadListener}.
 */
public final class LoadGroup implements LoadListener, AutoCloseable {
    private final List<LoadLoop> loops = new ArrayList<>();
    private final List<WsConnection> connections = new ArrayList<>();
    private final LoadStats stats = new LoadStats();
    private boolean closed;

    public LoadGroup(int threads) {
        for (int i = 0; i < Math.max(1, threads); i++) {
            loops.add(new LoadLoop("load-" + i));
        }
    }

    public LoadStats stats() {
        return stats;
    }

    public int size() {
        return connections.size();
    }

    /** The outcome of {@link #open}: how many became ready, how many failed, and how long it took. */
    public record Opened(int ready, int failed, int pending, long millis) {
    }

    /**
     * Connects and subscribes {@code specs}, at most {@code concurrency} handshakes in flight, and
     * waits until each is ready or failed (or the timeout passed).
     */
    public Opened open(Dialect dialect, InetSocketAddress server, List<ClientSpec> specs, int concurrency,
                       int slowReceiveBuffer, int slowBytesPerSecond, Duration timeout) {
        int readyBefore = stats.ready.get();
        int failedBefore = stats.failed.get();
        long start = System.nanoTime();
        onLoops(loop -> loop.configure(Math.max(1, concurrency / loops.size()), slowBytesPerSecond));
        List<WsConnection> added = new ArrayList<>(specs.size());
        for (ClientSpec spec : specs) {
            added.add(new WsConnection(spec, loops.get(spec.index() % loops.size()), dialect, this));
        }
        connections.addAll(added);
        for (WsConnection c : added) {
            ClientSpec spec = c.spec;
            LoadLoop loop = c.loop;
            int rcv = spec.mode() == ClientMode.NORMAL ? 0 : slowReceiveBuffer;
            loop.execute(() -> loop.whenSlotFree(() -> {
                c.holdsSlot = true;
                c.connect(server, rcv);
            }));
        }
        int n = specs.size();
        boolean done = await(() -> stats.ready.get() - readyBefore + stats.failed.get() - failedBefore >= n ? 1 : 0, timeout);
        if (!done) {
            onLoops(LoadLoop::cancelWaiting);
        }
        int ready = stats.ready.get() - readyBefore;
        int failed = stats.failed.get() - failedBefore;
        return new Opened(ready, failed, n - ready - failed, (System.nanoTime() - start) / 1_000_000);
    }

    /** Closes every connection abruptly; the clients keep their positions for {@link #resume}. */
    public int disconnectAll() {
        onLoops(loop -> {
            loop.cancelWaiting();
            loop.forgetSlow();
        });
        List<CompletableFuture<Integer>> done = new ArrayList<>();
        for (LoadLoop loop : loops) {
            CompletableFuture<Integer> f = new CompletableFuture<>();
            loop.execute(() -> {
                int closed = 0;
                for (WsConnection c : connections) {
                    if (c.loop == loop && c.isOpen()) {
                        c.closeByUs();
                        closed++;
                    }
                }
                f.complete(closed);
            });
            done.add(f);
        }
        return done.stream().mapToInt(CompletableFuture::join).sum();
    }

    /** The outcome of {@link #resume}. */
    public record Resumed(int caughtUp, int notRecovered, int failed, long millis) {
    }

    /**
     * Reconnects every client at once (at most {@code concurrency} handshakes in flight), each
     * asking for what it missed, and waits until each has received {@code expectedEvents} events
     * since (or the timeout passed). Per-client catch-up times go to {@link LoadStats#catchup}.
     */
    public Resumed resume(long expectedEvents, int concurrency, Duration timeout) {
        int caughtBefore = stats.caughtUp.get();
        int notRecoveredBefore = stats.notRecovered.get();
        int failedBefore = stats.failed.get();
        long start = System.nanoTime();
        onLoops(loop -> loop.configure(Math.max(1, concurrency / loops.size()), 1));
        for (WsConnection c : connections) {
            c.loop.execute(() -> c.loop.whenSlotFree(() -> {
                c.holdsSlot = true;
                c.resume(expectedEvents);
            }));
        }
        int n = connections.size();
        await(() -> stats.caughtUp.get() - caughtBefore + stats.failed.get() - failedBefore >= n ? 1 : 0, timeout);
        return new Resumed(stats.caughtUp.get() - caughtBefore, stats.notRecovered.get() - notRecoveredBefore,
                stats.failed.get() - failedBefore, (System.nanoTime() - start) / 1_000_000);
    }

    /** Connections open right now. */
    public int openCount() {
        List<CompletableFuture<Integer>> counts = new ArrayList<>();
        for (LoadLoop loop : loops) {
            CompletableFuture<Integer> f = new CompletableFuture<>();
            loop.execute(() -> f.complete((int) connections.stream().filter(c -> c.loop == loop && c.isReady()).count()));
            counts.add(f);
        }
        return counts.stream().mapToInt(CompletableFuture::join).sum();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        disconnectAll();
        loops.forEach(LoadLoop::close);
        connections.clear();
    }

    private void onLoops(java.util.function.Consumer<LoadLoop> action) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (LoadLoop loop : loops) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            loop.execute(() -> {
                action.accept(loop);
                f.complete(null);
            });
            done.add(f);
        }
        done.forEach(CompletableFuture::join);
    }

    private static boolean await(IntSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (condition.getAsInt() == 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    // ---- LoadListener, on loop threads

    @Override
    public void onReady(WsConnection c) {
        releaseSlot(c);
        stats.ready.incrementAndGet();
        if (c.spec.mode() == ClientMode.STALLED) {
            c.stopReading();
        } else if (c.spec.mode() == ClientMode.SLOW) {
            c.loop.readSlowly(c);
        }
    }

    @Override
    public void onFailed(WsConnection c, String reason) {
        releaseSlot(c);
        stats.failed.incrementAndGet();
        stats.reason(reason);
    }

    @Override
    public void onClosed(WsConnection c, String reason, boolean byUs) {
        if (!byUs) {
            stats.closedByServer.incrementAndGet();
            stats.reason(reason);
        }
    }

    @Override
    public void onEvent(WsConnection c, long offset, long stampMicros) {
        long latency = stampMicros > 0 ? EpochMicros.now() - stampMicros : -1;
        if (c.spec.mode() == ClientMode.NORMAL) {
            stats.events.increment();
            if (latency >= 0 && !c.resuming) {
                LoadStats.record(stats.latency, latency);
            }
        } else {
            stats.slowEvents.increment();
            if (latency >= 0) {
                LoadStats.record(stats.slowLatency, latency);
            }
        }
    }

    @Override
    public void onDuplicate(WsConnection c) {
        stats.duplicates.increment();
    }

    @Override
    public void onCaughtUp(WsConnection c, long micros) {
        stats.caughtUp.incrementAndGet();
        LoadStats.record(stats.catchup, micros);
    }

    @Override
    public void onNotRecovered(WsConnection c) {
        stats.notRecovered.incrementAndGet();
    }

    private static void releaseSlot(WsConnection c) {
        if (c.holdsSlot) {
            c.holdsSlot = false;
            c.loop.slotDone();
        }
    }
}
