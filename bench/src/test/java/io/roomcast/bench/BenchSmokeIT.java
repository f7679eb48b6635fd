package io.roomcast.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.testkit.TestKafka;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs every scenario at a tiny size so the benchmarks keep working. Asserts that each run
 * completes, writes its JSON results and measured something — never how fast. Peers take part
 * only when bench/peers/node_modules is installed ({@code npm ci} there).
 */
class BenchSmokeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PEERS = Path.of("peers").toAbsolutePath();
    private static boolean peersInstalled;

    @TempDir
    Path out;

    @BeforeAll
    static void checkPeers() {
        peersInstalled = Files.isDirectory(PEERS.resolve("node_modules"));
        if (!peersInstalled) {
            System.out.println("BenchSmokeIT: peers skipped, " + PEERS.resolve("node_modules") + " is missing (run npm ci in bench/peers)");
        }
    }

    @AfterEach
    void noChildProcessLeft() {
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.current().children().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void fanoutMeasuresDeliveriesLatencyAndCpuOnItsOwnBroker() throws IOException {
        JsonNode r = run("fanout", peers("ws,bun,socketio"), "--rooms", "2", "--subscribers", "5", "--rate", "50",
                "--warmup", "PT1S", "--warmup-max", "PT1S", "--duration", "PT2S");
        JsonNode rc = r.path("results").path("roomcast");
        assertThat(rc.path("clients").asDouble()).isEqualTo(10);
        assertThat(rc.path("deliveriesPerSec").asDouble()).isPositive();
        assertThat(rc.path("latencyP99Ms").isNumber()).isTrue();
        assertThat(rc.path("kafkaCpuS").isNumber()).as("Kafka runs as its own process here").isTrue();
        assertThat(rc.path("heapMb").asDouble()).isPositive();
        assertThat(rc.path("edgeIoUs").isNumber()).as("the edge's CPU by thread, from /proc").isTrue();
        assertThat(rc.path("edgeLiveUs").isNumber()).isTrue();
        if (peersInstalled) {
            for (String peer : List.of("ws", "bun", "socketio")) {
                assertThat(r.path("results").path(peer).path("deliveriesPerSec").asDouble()).as(peer).isPositive();
                assertThat(r.path("results").path(peer).path("edgeIoUs").asText()).as(peer).startsWith("n/a");
            }
        }
    }

    @Test
    void tokensRepeatsFromFreshStartsSettlesItsWarmUpAndProfilesTheEdge() throws IOException {
        JsonNode r = run("tokens", sharedKafka(peers("ws")), "--rooms", "4", "--subscribers", "3", "--rate", "40",
                "--warmup", "PT1S", "--warmup-max", "PT4S", "--settle-window", "PT1S", "--duration", "PT1S",
                "--repeat", "2", "--profile");
        assertThat(r.path("params").path("payloadBytes").asInt()).as("token-sized").isEqualTo(48);
        assertThat(r.path("runCount").asInt()).isEqualTo(2);
        JsonNode rc = r.path("results").path("roomcast");
        assertThat(rc.path("clients").asDouble()).isEqualTo(12);
        assertThat(rc.path("deliveriesPerSec").asDouble()).isPositive();
        assertThat(rc.path("warmupS").asDouble()).isBetween(1.0, 10.0);
        assertThat(r.path("runs").path("roomcast")).hasSize(2);
        assertThat(r.path("ranges").path("roomcast").path("deliveriesPerSec")).hasSize(2);
        try (Stream<Path> files = Files.list(out)) {
            List<Path> profiles = files.filter(p -> p.getFileName().toString().matches("tokens-.*-edge-\\d+\\.(html|collapsed)")).toList();
            assertThat(profiles).as("a flame graph and collapsed stacks per measured window").hasSize(4);
            for (Path p : profiles) {
                assertThat(Files.size(p)).as(p.toString()).isPositive();
            }
        }
        if (peersInstalled) {
            assertThat(r.path("runs").path("ws")).hasSize(2);
            assertThat(r.path("results").path("ws").path("deliveriesPerSec").asDouble()).isPositive();
        }
    }

    @Test
    void broadcastReportsKafkaCpuPerEventsAndMemoryUnderLoad() throws IOException {
        JsonNode r = run("broadcast", peers("bun"), "--subscribers", "20", "--rate", "20",
                "--warmup", "PT1S", "--warmup-max", "PT1S", "--duration", "PT2S");
        assertThat(r.path("params").path("rooms").asInt()).isEqualTo(1);
        JsonNode rc = r.path("results").path("roomcast");
        assertThat(rc.path("clients").asDouble()).isEqualTo(20);
        assertThat(rc.path("deliveriesPerFrontCpuS").isNumber()).isTrue();
        assertThat(rc.path("kafkaCpuMsPer1kEvents").isNumber()).as("Kafka runs as its own process here").isTrue();
        assertThat(rc.path("rssMb").asDouble()).isPositive();
        assertThat(rc.path("heapMb").asDouble()).isPositive();
        if (peersInstalled) {
            JsonNode bun = r.path("results").path("bun");
            assertThat(bun.path("deliveriesPerSec").asDouble()).isPositive();
            assertThat(bun.path("kafkaCpuMsPer1kEvents").asText()).startsWith("n/a");
        }
    }

    @Test
    void connectionsSpreadOverLoadProcessesAndSourceAddressesMeasureMemoryPerConnection() throws IOException {
        JsonNode r = run("connections", sharedKafka(peers("ws")), "--clients", "50", "--rooms", "5", "--settle", "PT0.2S",
                "--max-clients-per-process", "25", "--source-addresses", "127.0.0.1,127.0.0.2", "--warm-waves", "2");
        JsonNode rc = r.path("results").path("roomcast");
        assertThat(rc.path("clients").asDouble()).isEqualTo(50);
        assertThat(rc.path("connectRate").asDouble()).isPositive();
        assertThat(rc.path("warmConnectRate").asDouble()).isPositive();
        assertThat(rc.path("heapPerConnKb").isNumber()).isTrue();
    }

    @Test
    void reconnectStormRecoversEveryClientWithinAndBeyondTheCache() throws IOException {
        JsonNode r = run("reconnect-storm", sharedKafka(peers("ws,socketio")), "--clients", "20", "--rooms", "2",
                "--missed", "5", "--missed-beyond", "15", "--history-size", "10", "--timeout", "PT30S");
        JsonNode rc = r.path("results").path("roomcast");
        assertThat(rc.path("withinRecovered").asDouble()).isEqualTo(20);
        assertThat(rc.path("withinAllMs").isNumber()).isTrue();
        assertThat(rc.path("beyondRecovered").asDouble()).isEqualTo(20);
        assertThat(rc.path("beyondAllMs").isNumber()).isTrue();
        if (peersInstalled) {
            assertThat(r.path("results").path("ws").path("withinAllMs").asText()).startsWith("n/a");
            assertThat(r.path("results").path("socketio").path("withinRecovered").asDouble()).isEqualTo(20);
        }
    }

    @Test
    void replayReadsTheWholeRoomBesideAPlainConsumer() throws IOException {
        JsonNode r = run("replay", sharedKafka(List.of("--peers", "none")), "--events", "500");
        JsonNode rc = r.path("results").path("roomcast");
        assertThat(rc.path("edgeEventsPerSec").isNumber()).isTrue();
        assertThat(rc.path("kafkaEventsPerSec").asDouble()).isPositive();
    }

    @Test
    void kafkaBaselineMeasuresTheBrokerAlone() throws IOException {
        JsonNode r = run("kafka-baseline", sharedKafka(List.of()), "--warmup", "PT1S", "--duration", "PT1S", "--events", "2000");
        JsonNode k = r.path("results").path("kafka");
        assertThat(k.path("latencyP50Ms").isNumber()).isTrue();
        assertThat(k.path("consumerPerSec").asDouble()).isPositive();
        assertThat(k.path("tailCpuUsPerFetch").asDouble()).isPositive();
        assertThat(k.path("tailRecordsPerFetch").asDouble()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void slowConsumerKeepsMeasuringTheFastSubscribers() throws IOException {
        JsonNode r = run("slow-consumer", sharedKafka(peers("ws")), "--rooms", "2", "--subscribers", "10", "--rate", "50",
                "--slow-share", "0.2", "--stalled-share", "0.2", "--warmup", "PT1S", "--duration", "PT2S");
        JsonNode rc = r.path("results").path("roomcast");
        assertThat(rc.path("fastDps").asDouble()).isPositive();
        assertThat(rc.path("heapMb").asDouble()).isPositive();
    }

    private static List<String> peers(String peers) {
        return peersInstalled ? List.of("--peers", peers, "--peers-dir", PEERS.toString()) : List.of("--peers", "none");
    }

    private static List<String> sharedKafka(List<String> args) {
        List<String> all = new ArrayList<>(args);
        all.add("--kafka");
        all.add(TestKafka.bootstrapServers());
        return all;
    }

    private JsonNode run(String scenario, List<String> common, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of(scenario, "--out", out.toString(), "--no-npm-install"));
        args.addAll(common);
        args.addAll(List.of(options));
        int exit = new CommandLine(new BenchCommand()).execute(args.toArray(String[]::new));
        assertThat(exit).isZero();
        try (Stream<Path> files = Files.list(out)) {
            Path result = files.filter(p -> p.getFileName().toString().startsWith(scenario + "-") && p.toString().endsWith(".json"))
                    .findFirst().orElseThrow();
            JsonNode json = JSON.readTree(result.toFile());
            assertThat(json.path("notes").toString()).doesNotContain("failed");
            return json;
        }
    }
}
