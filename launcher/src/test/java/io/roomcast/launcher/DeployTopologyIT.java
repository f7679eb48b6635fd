package io.roomcast.launcher;

import io.roomcast.client.ClientOptions;
import io.roomcast.client.From;
import io.roomcast.client.PublishOptions;
import io.roomcast.client.RoomEvent;
import io.roomcast.client.RoomcastClient;
import io.roomcast.kafka.embedded.EmbeddedKafka;
import io.roomcast.kafka.embedded.FreePort;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * docker-compose.yml's topology without Docker: the services' own command lines run as local
 * processes from {@code roomcast.jar} (two edges, the model producer, the log shipper), on a real
 * Kafka, behind nginx from Debian's packages ({@code apt-get install nginx-light}) started with
 * deploy/nginx.conf (only the addresses rewritten). A client that knows only the balancer's
 * address fails over through it when its edge is killed, and loses nothing; the shipped nginx
 * access log never holds a query string. Skipped where no nginx is installed.
 */
class DeployTopologyIT {
    private static final String CONNECTIONS_METRIC = DeployManifestsTest.CONNECTIONS_METRIC;
    private static final Path NGINX = Path.of("/usr/sbin/nginx");
    private static final Pattern CONNECTIONS = Pattern.compile("(?m)^" + CONNECTIONS_METRIC + "(\\{[^}]*})? (\\S+)$");
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;
    /** The processes' output, kept after the test for a look when it fails. */
    private final Path logDir = Path.of("target/deploy-topology");

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void composeTopologyRunsAsLocalProcessesAndAClientFailsOverThroughTheBalancer() throws Exception {
        assumeThat(Files.isExecutable(NGINX)).as("nginx installed (apt-get install nginx-light)").isTrue();
        Map<String, Object> services = DeployManifestsTest.map(DeployManifestsTest.load(DeployManifestsTest.ROOT.resolve("docker-compose.yml")).get(0), "services");
        try (EmbeddedKafka kafka = TestKafka.startPrivate(dir.resolve("kafka"))) {
            String bootstrap = kafka.bootstrapServers();
            Path logs = Files.createDirectories(dir.resolve("nginx-logs"));
            int[] edgePorts = {FreePort.find(), FreePort.find()};
            int[] managementPorts = {FreePort.find(), FreePort.find()};
            int lbPort = FreePort.find();

            for (int i = 0; i < 2; i++) {
                Map<String, Object> edge = DeployManifestsTest.map(services, "edge-" + (i + 1));
                List<String> cmd = rewrite(DeployManifestsTest.strings(edge.get("command")), bootstrap, logs);
                cmd.set(cmd.indexOf("--port") + 1, Integer.toString(edgePorts[i]));
                @SuppressWarnings("unchecked")
                Map<String, String> env = new java.util.HashMap<>((Map<String, String>) edge.get("environment"));
                // one host instead of a network per container: each edge its own management port, on loopback
                env.put("ROOMCAST_MANAGEMENT_HOST", "127.0.0.1");
                env.put("ROOMCAST_MANAGEMENT_PORT", Integer.toString(managementPorts[i]));
                startRoomcast("edge-" + (i + 1), cmd, env);
            }
            for (int i = 0; i < 2; i++) {
                int port = edgePorts[i];
                int management = managementPorts[i];
                await().atMost(Duration.ofSeconds(90)).until(() -> status("http://127.0.0.1:" + port + "/readyz") == 200);
                assertThat(connections(management)).isZero();
                // the probe paths and the HPA metric of deploy/k8s/edge.yaml are served
                assertThat(status("http://127.0.0.1:" + port + "/healthz")).isEqualTo(200);
                assertThat(status("http://127.0.0.1:" + port + "/readyz")).isEqualTo(200);
            }
            startNginx(edgePorts, lbPort, logs);
            startRoomcast("model-producer", rewrite(DeployManifestsTest.strings(DeployManifestsTest.map(services, "model-producer").get("command")), bootstrap, logs), Map.of());
            startRoomcast("log-shipper", rewrite(DeployManifestsTest.strings(DeployManifestsTest.map(services, "log-shipper").get("command")), bootstrap, logs), Map.of());
            // a new consumer group starts at the end of the prompt topic: prompts before its assignment are not its
            await().atMost(Duration.ofSeconds(90)).until(() -> Files.readString(logDir.resolve("model-producer.log")).contains("partitions assigned"));
            await().atMost(Duration.ofSeconds(30)).until(() -> status("http://127.0.0.1:" + lbPort + "/readyz") == 200);
            assertThat(status("http://127.0.0.1:" + lbPort + "/healthz?token=SECRET-IN-QUERY")).isEqualTo(200);

            String room = "chat:" + TestNames.unique("compose");
            URI balancer = URI.create("ws://127.0.0.1:" + lbPort + "/ws");
            try (RoomcastClient client = RoomcastClient.connect(balancer, ClientOptions.builder().pingInterval(Duration.ofMillis(500))
                    .pongTimeout(Duration.ofSeconds(2)).build())) {
                Recorder seen = new Recorder();
                client.subscribe(room, From.earliest(), seen);
                await().atMost(Duration.ofSeconds(30)).until(() -> seen.live);
                List<Long> acked = new ArrayList<>();
                acked.add(client.publish(room, Map.of("text", "What is Roomcast?"), PublishOptions.ofType("prompt")).get(30, TimeUnit.SECONDS));
                await().atMost(Duration.ofSeconds(60)).until(() -> seen.types().contains("generation.done"));
                for (int i = 0; i < 20; i++) {
                    acked.add(client.publish(room, Map.of("i", i)).get(30, TimeUnit.SECONDS));
                }

                // kill -9 the edge the client is on; it reconnects through the balancer to the other one
                int on = connections(managementPorts[0]) > 0 ? 0 : 1;
                assertThat(connections(managementPorts[on])).isPositive();
                processes.get(on).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                for (int i = 20; i < 40; i++) {
                    acked.add(publishUntilAcked(client, room, i));
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> seen.offsets().containsAll(acked));
                List<Long> offsets = seen.offsets();
                assertThat(new HashSet<>(offsets)).hasSize(offsets.size());
                assertThat(offsets).isSorted();
                assertThat(seen.gaps).isEmpty();
                assertThat(connections(managementPorts[1 - on])).isPositive();

            }
            // the shipper ships nginx's access log; it holds the path but never the query string
            try (RoomcastClient logReader = RoomcastClient.connect(balancer, ClientOptions.ofDefaults())) {
                Recorder shipped = new Recorder();
                logReader.subscribe("logs:nginx", From.earliest(), shipped);
                await().atMost(Duration.ofSeconds(60)).until(() -> shipped.events.stream().anyMatch(e -> e.data().toString().contains("/healthz")));
                assertThat(shipped.events).extracting(RoomEvent::data).allSatisfy(d -> assertThat(d.toString()).doesNotContain("SECRET-IN-QUERY"));
            }
            assertThat(Files.readString(logs.resolve("access.log"))).contains("GET /healthz ").doesNotContain("SECRET-IN-QUERY", "token=");
        }
    }

    /** A publish without an event id that fails on the lost connection is published again: the test counts only acks. */
    private static long publishUntilAcked(RoomcastClient client, String room, int i) {
        long[] offset = {-1};
        // While the client reconnects, each attempt fails fast; the next one is tried until one is acked.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            offset[0] = client.publish(room, Map.of("i", i)).get(30, TimeUnit.SECONDS);
            return true;
        });
        return offset[0];
    }

    private static List<String> rewrite(List<String> command, String bootstrap, Path logs) {
        List<String> out = new ArrayList<>();
        for (String arg : command) {
            out.add(arg.replace("kafka:9092", bootstrap).replace("/logs/", logs + "/"));
        }
        return out;
    }

    private void startRoomcast(String name, List<String> args, Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", Path.of("target/roomcast.jar").toAbsolutePath().toString()));
        cmd.addAll(args);
        Files.createDirectories(logDir);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logDir.resolve(name + ".log").toFile());
        if (env != null) {
            pb.environment().putAll(env);
        }
        pb.environment().put("HOSTNAME", name);
        processes.add(pb.start());
    }

    private void startNginx(int[] edgePorts, int lbPort, Path logs) throws IOException {
        String conf = Files.readString(DeployManifestsTest.ROOT.resolve("deploy/nginx.conf"))
                .replace("server edge-1:8080", "server 127.0.0.1:" + edgePorts[0])
                .replace("server edge-2:8080", "server 127.0.0.1:" + edgePorts[1])
                .replace("listen 8080;", "listen 127.0.0.1:" + lbPort + ";")
                .replace("/var/log/roomcast-nginx/", logs + "/");
        Path nginxDir = Files.createDirectories(dir.resolve("nginx"));
        Path file = nginxDir.resolve("nginx.conf");
        Files.writeString(file, conf);
        processes.add(new ProcessBuilder(NGINX.toString(), "-p", nginxDir.toString(), "-c", file.toString(),
                "-g", "daemon off; pid " + nginxDir.resolve("nginx.pid") + ";")
                .redirectErrorStream(true).redirectOutput(logDir.resolve("nginx.log").toFile()).start());
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The open-connections gauge (what the HPA in deploy/k8s scales on) from an edge's management listener. */
    private double connections(int port) throws IOException, InterruptedException {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = CONNECTIONS.matcher(body);
        assertThat(m.find()).as(CONNECTIONS_METRIC + " on /metrics").isTrue();
        return Double.parseDouble(m.group(2));
    }
}
