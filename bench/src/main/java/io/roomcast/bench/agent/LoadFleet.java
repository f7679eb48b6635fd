package io.roomcast.bench.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomcast.bench.proc.Proc;
import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * All simulated clients of a run: in this process when they fit under the per-process limit
 * (open files are capped at 20,000 here), else spread over child JVM agents; spread over several
 * loopback source addresses when one address would run out of local ports. Clients are numbered
 * across the fleet; client {@code i} joins room {@code i mod rooms}.
 *
 * <p>Thread-safety: one caller at a time.
 */
public final class LoadFleet implements AutoCloseable {
    /** Clients per source address, under the ~28,000 local ports of one address towards one server port. */
    public static final int CLIENTS_PER_SOURCE = 20_000;

    private final List<LoadAgent> agents = new ArrayList<>();
    private final List<String> sources;
    private final ExecutorService callers;
    private int nextIndex;

    private LoadFleet(List<String> sources, int agentCount, boolean remote, int threads, Path logDir) {
        this.sources = sources;
        for (int i = 0; i < agentCount; i++) {
            agents.add(remote ? new RemoteAgent("load-agent-" + i, threads, logDir) : new LocalAgent(threads));
        }
        this.callers = Executors.newFixedThreadPool(agentCount, r -> {
            Thread t = new Thread(r, "fleet-call");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A fleet sized for {@code clients}: one agent in this process, or child agents of at most
     * {@code maxPerProcess} clients each. {@code sources} empty means automatic.
     */
    public static LoadFleet create(int clients, int maxPerProcess, int threads, List<String> sources, Path logDir) {
        List<String> src = sources.isEmpty() ? autoSources(clients) : sources;
        int agentCount = Math.max(1, (clients + maxPerProcess - 1) / maxPerProcess);
        return new LoadFleet(src, agentCount, agentCount > 1, threads, logDir);
    }

    /** 127.0.0.1, 127.0.0.2, ... enough for {@code clients}; empty (no explicit bind) when one suffices. */
    static List<String> autoSources(int clients) {
        int n = (clients + CLIENTS_PER_SOURCE - 1) / CLIENTS_PER_SOURCE;
        List<String> list = new ArrayList<>();
        for (int i = 1; n > 1 && i <= n; i++) {
            list.add("127.0.0." + i);
        }
        return list;
    }

    public int agentCount() {
        return agents.size();
    }

    public List<String> sources() {
        return sources;
    }

    /** The merged outcome of an open. */
    public record Opened(int ready, int failed, int pending, long millis) {
    }

    /**
     * Opens {@code count} more clients; {@code template} carries dialect, host, port, rooms and
     * the other options of {@link AgentCommands}' {@code open}.
     */
    public Opened open(ObjectNode template, int count) {
        int first = nextIndex;
        nextIndex += count;
        int per = (count + agents.size() - 1) / agents.size();
        List<ObjectNode> replies = callAll(i -> {
            int from = first + i * per;
            int n = Math.max(0, Math.min(per, first + count - from));
            ObjectNode cmd = template.deepCopy().put("cmd", "open").put("first", from).put("count", n);
            cmd.putArray("sources").addAll(sources.stream().map(s -> AgentCommands.JSON.getNodeFactory().textNode(s)).toList());
            return cmd;
        });
        check(replies);
        return new Opened(sum(replies, "ready"), sum(replies, "failed"), sum(replies, "pending"), max(replies, "millis"));
    }

    /** Counters (cumulative) and histograms (since the previous call), merged over agents. */
    public record Snapshot(long events, long slowEvents, long duplicates, long closedByServer, long open,
                           Histogram latency, Histogram slowLatency, Histogram catchup, Map<String, Long> reasons) {
    }

    public Snapshot stats() {
        List<ObjectNode> replies = callAll(i -> AgentCommands.JSON.createObjectNode().put("cmd", "stats"));
        check(replies);
        Histogram latency = Histograms.empty();
        Histogram slow = Histograms.empty();
        Histogram catchup = Histograms.empty();
        Map<String, Long> reasons = new TreeMap<>();
        for (ObjectNode r : replies) {
            latency.add(Histograms.decode(r.get("latency").asText()));
            slow.add(Histograms.decode(r.get("slowLatency").asText()));
            catchup.add(Histograms.decode(r.get("catchup").asText()));
            r.path("reasons").fields().forEachRemaining(e -> reasons.merge(e.getKey(), e.getValue().asLong(), Long::sum));
        }
        return new Snapshot(sumLong(replies, "events"), sumLong(replies, "slowEvents"), sumLong(replies, "duplicates"),
                sum(replies, "closedByServer"), sum(replies, "open"), latency, slow, catchup, reasons);
    }

    public int disconnect() {
        List<ObjectNode> replies = callAll(i -> AgentCommands.JSON.createObjectNode().put("cmd", "disconnect"));
        check(replies);
        return sum(replies, "closed");
    }

    /** The merged outcome of a resume; {@code millis} is the slowest agent's. */
    public record Resumed(int caughtUp, int notRecovered, int failed, long millis) {
    }

    public Resumed resume(long expectedEvents, long timeoutMs) {
        List<ObjectNode> replies = callAll(i -> AgentCommands.JSON.createObjectNode().put("cmd", "resume")
                .put("expected", expectedEvents).put("timeoutMs", timeoutMs));
        check(replies);
        return new Resumed(sum(replies, "caughtUp"), sum(replies, "notRecovered"), sum(replies, "failed"), max(replies, "millis"));
    }

    /** CPU seconds used so far by the processes holding the clients (this one included when local). */
    public double cpuSeconds() {
        return agents.stream().mapToLong(LoadAgent::pid).distinct().mapToDouble(Proc::cpuSeconds).sum();
    }

    private List<ObjectNode> callAll(Function<Integer, ObjectNode> command) {
        List<CompletableFuture<ObjectNode>> futures = new ArrayList<>();
        for (int i = 0; i < agents.size(); i++) {
            LoadAgent agent = agents.get(i);
            ObjectNode cmd = command.apply(i);
            futures.add(CompletableFuture.supplyAsync(() -> agent.call(cmd), callers));
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }

    private static void check(List<ObjectNode> replies) {
        for (JsonNode r : replies) {
            if (r.has("error")) {
                throw new IllegalStateException("load agent: " + r.get("error").asText());
            }
        }
    }

    private static int sum(List<ObjectNode> replies, String field) {
        return (int) sumLong(replies, field);
    }

    private static long sumLong(List<ObjectNode> replies, String field) {
        return replies.stream().mapToLong(r -> r.path(field).asLong()).sum();
    }

    private static long max(List<ObjectNode> replies, String field) {
        return replies.stream().mapToLong(r -> r.path(field).asLong()).max().orElse(0);
    }

    @Override
    public void close() {
        for (LoadAgent a : agents) {
            try {
                a.call(AgentCommands.JSON.createObjectNode().put("cmd", "close"));
            } catch (RuntimeException ignored) {
                // closing anyway
            }
            a.close();
        }
        callers.shutdownNow();
    }
}
