package io.roomcast.bench.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomcast.bench.load.ClientMode;
import io.roomcast.bench.load.ClientSpec;
import io.roomcast.bench.load.Dialect;
import io.roomcast.bench.load.LoadGroup;
import io.roomcast.bench.load.LoadStats;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The load agent's command set, JSON in and JSON out, the same whether the agent runs in the
 * benchmark's own process or in a child: {@code open}, {@code stats}, {@code disconnect},
 * {@code resume}, {@code close}. Commands run one at a time.
 */
public final class AgentCommands implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Golden-ratio spreading: slow and stalled clients land evenly over the rooms. */
    private static final double SPREAD = 0.6180339887498949;

    private final LoadGroup group;

    public AgentCommands(int threads) {
        this.group = new LoadGroup(threads);
    }

    public ObjectNode handle(JsonNode cmd) {
        return switch (cmd.path("cmd").asText()) {
            case "open" -> open(cmd);
            case "stats" -> stats();
            case "disconnect" -> JSON.createObjectNode().put("closed", group.disconnectAll());
            case "resume" -> resume(cmd);
            case "close" -> {
                group.close();
                yield JSON.createObjectNode().put("closed", true);
            }
            default -> JSON.createObjectNode().put("error", "unknown command " + cmd.path("cmd").asText());
        };
    }

    /** The mode of client {@code index} given the shares of stalled and slow clients. */
    public static ClientMode modeOf(int index, double stalledShare, double slowShare) {
        double f = (index * SPREAD) % 1.0;
        return f < stalledShare ? ClientMode.STALLED : f < stalledShare + slowShare ? ClientMode.SLOW : ClientMode.NORMAL;
    }

    private ObjectNode open(JsonNode cmd) {
        List<String> rooms = new ArrayList<>();
        cmd.path("rooms").forEach(r -> rooms.add(r.asText()));
        List<InetAddress> sources = new ArrayList<>();
        try {
            for (JsonNode s : cmd.path("sources")) {
                sources.add(InetAddress.getByName(s.asText()));
            }
        } catch (UnknownHostException e) {
            return JSON.createObjectNode().put("error", e.toString());
        }
        int first = cmd.path("first").asInt();
        int count = cmd.path("count").asInt();
        double stalled = cmd.path("stalledShare").asDouble(0);
        double slow = cmd.path("slowShare").asDouble(0);
        boolean earliest = cmd.path("earliest").asBoolean(false);
        List<ClientSpec> specs = new ArrayList<>(count);
        for (int i = first; i < first + count; i++) {
            specs.add(new ClientSpec(i, rooms.get(i % rooms.size()), sources.isEmpty() ? null : sources.get(i % sources.size()),
                    modeOf(i, stalled, slow), earliest));
        }
        LoadGroup.Opened o = group.open(Dialect.named(cmd.path("dialect").asText()),
                new InetSocketAddress(cmd.path("host").asText(), cmd.path("port").asInt()), specs,
                cmd.path("concurrency").asInt(256), cmd.path("slowReceiveBuffer").asInt(4096),
                cmd.path("slowBytesPerSecond").asInt(4096), Duration.ofMillis(cmd.path("timeoutMs").asLong(60_000)));
        return JSON.createObjectNode().put("ready", o.ready()).put("failed", o.failed()).put("pending", o.pending())
                .put("millis", o.millis());
    }

    private ObjectNode resume(JsonNode cmd) {
        LoadGroup.Resumed r = group.resume(cmd.path("expected").asLong(), cmd.path("concurrency").asInt(100_000),
                Duration.ofMillis(cmd.path("timeoutMs").asLong(60_000)));
        return JSON.createObjectNode().put("caughtUp", r.caughtUp()).put("notRecovered", r.notRecovered())
                .put("failed", r.failed()).put("millis", r.millis());
    }

    private ObjectNode stats() {
        LoadStats s = group.stats();
        ObjectNode out = JSON.createObjectNode()
                .put("events", s.events())
                .put("slowEvents", s.slowEvents())
                .put("duplicates", s.duplicates())
                .put("closedByServer", s.closedByServer())
                .put("open", group.openCount())
                .put("latency", Histograms.encode(s.takeLatency()))
                .put("slowLatency", Histograms.encode(s.takeSlowLatency()))
                .put("catchup", Histograms.encode(s.takeCatchup()));
        ObjectNode reasons = out.putObject("reasons");
        s.reasons().forEach(reasons::put);
        return out;
    }

    @Override
    public void close() {
        group.close();
    }
}
