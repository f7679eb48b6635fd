package io.roomcast.launcher;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml, deploy/nginx.conf and deploy/k8s checked without Docker or a cluster: they
 * parse, carry the fields that matter, every Roomcast command line in them is accepted by
 * {@code ./roomcast}, and ports, paths and the drain time agree with the edge. (That the probe
 * paths and the HPA's metric are really served is {@link DeployTopologyIT}'s job.)
 */
class DeployManifestsTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String IMAGE = "roomcast:local";
    /** The edge's open-connections gauge as Prometheus names it: what the HPA scales on. */
    static final String CONNECTIONS_METRIC = "roomcast_connections";

    @Test
    void composeFileParsesAndEveryRoomcastServiceCommandIsAccepted() throws IOException {
        Map<String, Object> compose = load(ROOT.resolve("docker-compose.yml")).get(0);
        Map<String, Object> services = map(compose, "services");

        assertThat(services).containsKeys("kafka", "edge-1", "edge-2", "lb", "model-producer", "log-shipper");
        int roomcast = 0;
        for (var e : services.entrySet()) {
            Map<String, Object> service = cast(e.getValue());
            if (IMAGE.equals(service.get("image"))) {
                List<String> command = strings(service.get("command"));
                assertThat(command).as(e.getKey()).isNotEmpty();
                parse(command);
                roomcast++;
            }
        }
        assertThat(roomcast).isEqualTo(4);
        assertThat(String.valueOf(map(services, "lb").get("volumes"))).contains("./deploy/nginx.conf");
    }

    @Test
    void nginxConfigNeverLogsAQueryString() throws IOException {
        String conf = Files.readString(ROOT.resolve("deploy/nginx.conf"));
        String active = conf.lines().filter(l -> !l.strip().startsWith("#")).reduce("", (a, b) -> a + b + "\n");

        // $request and $request_uri hold the query string (?token=...), and so does the default "combined" format
        assertThat(active).doesNotContain("$request ", "$request\"", "$request_uri", "$args", "$query_string", "$arg_");
        assertThat(active).containsPattern("access_log\\s+\\S+\\s+roomcast;").contains("log_format roomcast");
        // error log lines quote the whole request line
        assertThat(active).containsPattern("error_log\\s+\\S+\\s+crit;");
        assertThat(active).doesNotContain("ip_hash", "sticky", "hash $");
    }

    @Test
    void kubernetesManifestsHaveTheRequiredFieldsAndMatchTheEdge() throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(ROOT.resolve("deploy/k8s"), "*.yaml")) {
            for (Path f : files) {
                docs.addAll(load(f));
            }
        }
        for (Map<String, Object> d : docs) {
            assertThat(d).as("a manifest").containsKeys("apiVersion", "kind", "metadata");
            assertThat(map(d, "metadata")).containsKey("name");
        }

        Map<String, Object> edge = find(docs, "Deployment", "roomcast-edge");
        Map<String, Object> pod = map(map(edge, "spec"), "template");
        Map<String, Object> podSpec = map(pod, "spec");
        Map<String, Object> container = cast(list(podSpec, "containers").get(0));
        List<String> args = strings(container.get("args"));
        CommandLine.ParseResult parsed = parse(args);
        int port = parsed.subcommand().matchedOptionValue("--port", 0);
        Map<String, Object> portSpec = cast(list(container, "ports").get(0));
        assertThat(portSpec.get("containerPort")).isEqualTo(port);
        String portName = (String) portSpec.get("name");
        assertThat(map(map(container, "readinessProbe"), "httpGet")).containsEntry("path", "/readyz").containsEntry("port", portName);
        assertThat(map(map(container, "livenessProbe"), "httpGet")).containsEntry("path", "/healthz").containsEntry("port", portName);
        assertThat(String.valueOf(map(map(container, "lifecycle"), "preStop"))).contains("kill -TERM 1");
        assertThat(map(pod, "metadata").get("annotations")).asString().contains("prometheus.io/path=/metrics", "prometheus.io/port=" + port);

        // the drain: the edge waits drain-delay + 5 s for clients to leave (EdgeCommand), then stops
        Map<String, Object> config = map(find(docs, "ConfigMap", "roomcast"), "data");
        Duration drain = Duration.parse((String) config.get("ROOMCAST_DRAIN_DELAY")).plusSeconds(5);
        assertThat((Integer) podSpec.get("terminationGracePeriodSeconds")).isGreaterThan((int) drain.toSeconds());
        assertThat(config).containsEntry("ROOMCAST_REPLICATION_FACTOR", "3").containsEntry("ROOMCAST_MIN_INSYNC_REPLICAS", "2");

        Map<String, Object> labels = map(map(map(edge, "spec"), "selector"), "matchLabels");
        Map<String, Object> service = map(find(docs, "Service", "roomcast-edge"), "spec");
        assertThat(service.get("selector")).isEqualTo(labels);
        assertThat(service).containsEntry("sessionAffinity", "None");
        assertThat(cast(list(service, "ports").get(0))).containsEntry("targetPort", portName);
        assertThat(map(map(find(docs, "PodDisruptionBudget", "roomcast-edge"), "spec"), "selector").get("matchLabels")).isEqualTo(labels);

        Map<String, Object> hpa = map(find(docs, "HorizontalPodAutoscaler", "roomcast-edge"), "spec");
        assertThat(map(hpa, "scaleTargetRef")).containsEntry("kind", "Deployment").containsEntry("name", "roomcast-edge");
        assertThat(String.valueOf(list(hpa, "metrics"))).contains("name=" + CONNECTIONS_METRIC);

        parse(strings(cast(list(map(map(map(find(docs, "Deployment", "roomcast-model-producer"), "spec"), "template"), "spec"),
                "containers").get(0)).get("args")));
        parse(strings(cast(list(map(map(map(find(docs, "DaemonSet", "roomcast-log-shipper"), "spec"), "template"), "spec"),
                "containers").get(0)).get("args")));

        Map<String, Object> kafka = find(docs, "Kafka", "roomcast");
        assertThat(map(map(map(kafka, "spec"), "kafka"), "config")).containsEntry("default.replication.factor", 3)
                .containsEntry("min.insync.replicas", 2).containsEntry("unclean.leader.election.enable", false);
        assertThat(map(find(docs, "KafkaNodePool", "dual-role"), "spec")).containsEntry("replicas", 3);
        assertThat(config.get("ROOMCAST_KAFKA")).isEqualTo("roomcast-kafka-bootstrap:9092");
    }

    /** Parses (does not run) a Roomcast command line exactly as {@code ./roomcast} would. */
    static CommandLine.ParseResult parse(List<String> args) {
        return new CommandLine(new Roomcast()).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args.toArray(String[]::new));
    }

    static List<Map<String, Object>> load(Path file) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (Object doc : new Yaml().loadAll(r)) {
                if (doc != null) {
                    out.add(cast(doc));
                }
            }
        }
        return out;
    }

    private static Map<String, Object> find(List<Map<String, Object>> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(map(d, "metadata").get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in deploy/k8s"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    static Map<String, Object> map(Map<String, Object> m, String key) {
        return cast(m.get(key));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> m, String key) {
        assertThat(m.get(key)).as(key).isInstanceOf(List.class);
        return (List<Object>) m.get(key);
    }

    @SuppressWarnings("unchecked")
    static List<String> strings(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<String>) o;
    }
}
