package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.roomcast.producer.ModelProducer;
import io.roomcast.producer.ModelProducerConfig;
import io.roomcast.producer.openai.OpenAiSettings;
import io.roomcast.room.Namespaces;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole chain with a real OpenAI-style HTTP server as the model: the official {@code openai}
 * SDK → the edge's {@code /v1/chat/completions} → a prompt in Kafka → the model producer's
 * {@code openai} backend → a local server streaming {@code chat.completion.chunk}s → tokens in the
 * room → chunks back to the SDK. The local server echoes the prompt, so the answer is known.
 */
class EdgeOpenAiBackendIT {
    private static final Path JS = Path.of("src", "test", "js").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An OpenAI-compatible streaming server whose model answers "Echo: " and the prompt, word by word. */
    private static void serve(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody());
        JsonNode messages = request.path("messages");
        String prompt = messages.get(messages.size() - 1).path("content").asText();
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            String[] words = ("Echo: " + prompt).split(" ");
            for (int i = 0; i < words.length; i++) {
                out.write(chunk(request, (i == 0 ? "" : " ") + words[i], null));
                out.flush();
            }
            out.write(chunk(request, null, "stop"));
            out.write(("data: {\"id\":\"up-1\",\"object\":\"chat.completion.chunk\",\"model\":\"local-echo\",\"choices\":[],"
                    + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":" + words.length + ",\"total_tokens\":" + (5 + words.length)
                    + "}}\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static byte[] chunk(JsonNode request, String content, String finish) {
        ObjectNode chunk = JSON.createObjectNode();
        chunk.put("id", "up-1");
        chunk.put("object", "chat.completion.chunk");
        chunk.put("model", request.path("model").asText());
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (content != null) {
            delta.put("content", content);
        }
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return ("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldAnswerTheOpenAiSdkFromALocalOpenAiStyleServer() throws Exception {
        assumeTrue(Files.isDirectory(JS.resolve("node_modules/openai")), "run npm ci in ws-edge/src/test/js first");
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/v1/chat/completions", exchange -> {
            try {
                serve(exchange);
            } finally {
                exchange.close();
            }
        });
        backend.start();
        Namespaces namespaces = EdgeFixture.isolatedNamespaces();
        String base = "http://127.0.0.1:" + backend.getAddress().getPort() + "/v1";
        try (EdgeServer edge = EdgeFixture.start(namespaces, b -> b);
             ModelProducer producer = ModelProducer.start(ModelProducerConfig.builder(TestKafka.bootstrapServers())
                     .namespaceTopics(Map.of("chat", namespaces.find("chat").orElseThrow().topic())).partitions(4)
                     .openAi(OpenAiSettings.of(base, "local-echo", null))
                     .logs(namespaces.find("logs").orElseThrow().topic(), "logs:model-producer", false)
                     .groupId(TestNames.unique("group")).build())) {
            producer.awaitAssignment(Duration.ofSeconds(60));
            ProcessBuilder pb = new ProcessBuilder("node", "openai-chat.mjs").directory(JS.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().put("ROOMCAST_URL", edge.url());
            pb.environment().put("ROOMCAST_ROOM", "chat:" + TestNames.unique("echo"));
            pb.environment().put("ROOMCAST_MODEL", "local-echo");
            Process node = pb.start();
            assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("node finished").isTrue();
            String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(node.exitValue()).as(output).isZero();
            JsonNode out = JSON.readTree(output);
            assertThat(out.path("streamed").path("text").asText()).isEqualTo("Echo: What is a Kafka partition?");
            assertThat(out.path("streamed").path("models").toString()).isEqualTo("[\"local-echo\"]");
            assertThat(out.path("streamed").path("finish").toString()).isEqualTo("[\"stop\"]");
            assertThat(out.path("whole").path("text").asText()).isEqualTo("Echo: Explain consumer groups");
            assertThat(out.path("unknownModel").path("status").asInt()).isEqualTo(404);
        } finally {
            backend.stop(0);
        }
    }
}
