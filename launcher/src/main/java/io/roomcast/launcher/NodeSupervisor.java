package io.roomcast.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Starts the nodes of {@code roomcast kafka --brokers N} again when their process exits (a crash, running out of
 * memory, {@code kill -9}), as a service manager would: {@link #FIRST_WAIT} after the exit, and twice as long each time
 * a node exits again within {@link #STABLE} of its last start, up to {@link #MAX_WAIT}. Without it a node that died
 * stayed down until the whole cluster was stopped and started again.
 *
 * <p>Threading: {@link #check} runs on the supervisor's own daemon thread once a second ({@link #start}); {@link #close}
 * from the shutdown hook. A test calls {@link #check} itself, with its own clock.
 */
final class NodeSupervisor implements AutoCloseable {
    static final Duration FIRST_WAIT = Duration.ofSeconds(5);
    static final Duration MAX_WAIT = Duration.ofMinutes(1);
    static final Duration STABLE = Duration.ofMinutes(1);

    /** What the supervisor needs of a cluster. */
    interface Nodes {
        Set<Integer> nodeIds();

        boolean isRunning(int id);

        /** Starts the node again without waiting for it; false when the cluster is closed or it runs. */
        boolean relaunch(int id);

        Path logFile(int id);
    }

    private final Nodes nodes;
    private final LongSupplier nanos;
    private final Consumer<String> out;
    /** By node (this thread only): when a node seen gone is started again. */
    private final Map<Integer, Long> dueAt = new HashMap<>();
    /** By node (this thread only): the wait before its last start, and when that was. */
    private final Map<Integer, Duration> lastWait = new HashMap<>();
    private final Map<Integer, Long> lastStart = new HashMap<>();
    private ScheduledExecutorService timer;

    NodeSupervisor(Nodes nodes, LongSupplier nanos, Consumer<String> out) {
        this.nodes = nodes;
        this.nanos = nanos;
        this.out = out;
    }

    /** Checks the nodes once a second on a daemon thread of its own. */
    NodeSupervisor start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "roomcast-kafka-supervisor");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    /** Notices nodes that are gone and starts those whose wait is over. */
    void check() {
        long now = nanos.getAsLong();
        for (int id : nodes.nodeIds()) {
            if (nodes.isRunning(id)) {
                continue;
            }
            Long due = dueAt.get(id);
            if (due == null) {
                Duration wait = nextWait(id, now);
                lastWait.put(id, wait);
                dueAt.put(id, now + wait.toNanos());
                out.accept("Kafka node " + id + " exited; starting it again in " + wait.toSeconds() + " s (its log: "
                        + nodes.logFile(id) + ")");
            } else if (now - due >= 0) {
                dueAt.remove(id);
                if (nodes.relaunch(id)) {
                    lastStart.put(id, now);
                    out.accept("Kafka node " + id + " started again");
                }
            }
        }
    }

    /** The first wait, or twice the last one when the node did not stay up for {@link #STABLE}. */
    private Duration nextWait(int id, long now) {
        Long started = lastStart.get(id);
        if (started == null || now - started >= STABLE.toNanos()) {
            return FIRST_WAIT;
        }
        Duration doubled = lastWait.getOrDefault(id, FIRST_WAIT).multipliedBy(2);
        return doubled.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : doubled;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
