package io.roomcast.producer;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.producer.RoomTail.Event;
import io.roomcast.producer.backend.ResilienceSettings;
import io.roomcast.producer.openai.FakeOpenAiServer;
import io.roomcast.producer.openai.FakeOpenAiServer.Reply;
import io.roomcast.producer.openai.OpenAiSettings;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The producer with the OpenAI backend: a real local model server on one side, real Kafka on the other. */
class ProducerOpenAiGenerationIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Kafka's limit on one record here: a token longer than this cannot be sent. */
    private static final int MAX_RECORD_BYTES = 100_000;

    private final FakeOpenAiServer server = FakeOpenAiServer.start();
    private final String namespace = "chat" + TestNames.unique();
    private final String topic = ModelProducerConfig.defaultTopic(namespace);
    private final String room = namespace + ":ai";
    private ModelProducer producer;
    private RoomWriter writer;
    private RoomTail tail;

    @BeforeEach
    void start() throws InterruptedException {
        producer = ModelProducer.start(ModelProducerConfig.builder(TestKafka.bootstrapServers())
                .groupId(TestNames.unique("producers"))
                .namespace(namespace)
                .partitions(2)
                .openAi(OpenAiSettings.of(server.baseUrl(), "tiny-model", ""))
                .systemPrompt("You are terse.")
                .resilience(ResilienceSettings.defaults()
                        .withTimeouts(Duration.ofMillis(1500), Duration.ofMillis(500))
                        .withRetry(2, Duration.ofMillis(20), Duration.ofMillis(50))
                        .withBreaker(100, 6, 6, Duration.ofSeconds(60)))
                .logs("roomcast.logs", "logs:model-producer", false)
                .kafkaOverrides(Map.of("max.request.size", Integer.toString(MAX_RECORD_BYTES)))
                .build());
        assertThat(producer.awaitAssignment(WAIT)).isTrue();
        writer = new RoomWriter(TestKafka.bootstrapServers(), topic);
        tail = new RoomTail(TestKafka.bootstrapServers(), topic);
    }

    @AfterEach
    void stop() {
        producer.close();
        writer.close();
        tail.close();
        server.close();
    }

    @Test
    void shouldSendTheRoomsConversationAsContext() {
        server.enqueue(Reply.tokens("Par", "is"));
        String first = writer.prompt(room, "What is the capital of France?");
        await().atMost(WAIT).until(() -> tail.ended(room, first));
        String unrelated = writer.prompt(namespace + ":elsewhere", "unrelated");
        await().atMost(WAIT).until(() -> tail.ended(namespace + ":elsewhere", unrelated));
        server.enqueue(Reply.tokens("About", " 2", "M"));
        String second = writer.prompt(room, "How many people live there?");
        await().atMost(WAIT).until(() -> tail.ended(room, second));

        assertThat(tail.answer(room, first)).isEqualTo("Paris");
        assertThat(tail.answer(room, second)).isEqualTo("About 2M");
        JsonNode request = server.requests().stream()
                .filter(r -> r.path("messages").toString().contains("How many people")).findFirst().orElseThrow();
        assertThat(request.path("model").asText()).isEqualTo("tiny-model");
        assertThat(request.path("messages")).extracting(m -> m.path("role").asText() + ": " + m.path("content").asText()).containsExactly(
                "system: You are terse.",
                "user: What is the capital of France?",
                "assistant: Paris",
                "user: How many people live there?");
        Event done = tail.events(room, EventTypes.DONE).get(1);
        assertThat(done.data().path("usage").path("promptTokens").asInt()).isEqualTo(7);
        assertThat(done.data().path("usage").path("completionTokens").asInt()).isEqualTo(3);
    }

    @Test
    void shouldReportABackendThatKeepsFailingAsAnError() {
        server.defaultReply(Reply.status(500, "{\"error\":{\"message\":\"GPU on fire\"}}", null));
        String id = writer.prompt(room, "hello?");
        await().atMost(WAIT).until(() -> tail.ended(room, id));
        Event error = tail.events(room, EventTypes.ERROR).get(0);
        assertThat(error.data().path("code").asText()).isEqualTo("backend_error");
        assertThat(error.data().path("message").asText()).contains("GPU on fire");
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void shouldEndAStalledAnswerWithATimeoutError() {
        server.enqueue(Reply.stallAfter("one", " two"));
        String id = writer.prompt(room, "stall please");
        await().atMost(WAIT).until(() -> tail.ended(room, id));
        List<Event> events = tail.events(room).stream().filter(e -> id.equals(e.generationId())).toList();
        assertThat(events).extracting(Event::type)
                .containsExactly(EventTypes.STARTED, EventTypes.TOKEN, EventTypes.TOKEN, EventTypes.ERROR, EventTypes.MESSAGE);
        assertThat(events.get(3).data().path("code").asText()).isEqualTo("timeout");
        // the answer so far, kept: an error ends it, it does not erase it
        assertThat(events.get(4).data().path("status").asText()).isEqualTo("error");
        assertThat(events.get(4).data().path("text").asText()).isEqualTo("one two");
    }

    @Test
    void shouldEndAnAnswerCutOffByADisconnectOrAMalformedChunkWithAnError() {
        server.enqueue(Reply.disconnectAfter("x").paced(Duration.ofMillis(100)), Reply.raw(Reply.token("y"), Reply.data("{oops")));
        String cut = writer.prompt(room, "first");
        String malformed = writer.prompt(room, "second");
        await().atMost(WAIT).until(() -> tail.ended(room, cut) && tail.ended(room, malformed));
        assertThat(tail.events(room, EventTypes.ERROR)).extracting(e -> e.data().path("code").asText()).containsExactly("backend_error", "backend_error");
        assertThat(tail.events(room, EventTypes.ERROR).get(1).data().path("message").asText()).contains("malformed");
    }

    @Test
    void shouldFailFastWithBackendUnavailableOnceTheCircuitIsOpen() {
        server.defaultReply(Reply.status(503, "busy", null));
        List<String> ids = List.of(writer.prompt(room, "a"), writer.prompt(room, "b"), writer.prompt(room, "c"), writer.prompt(room, "d"));
        await().atMost(WAIT).until(() -> ids.stream().allMatch(id -> tail.ended(room, id)));
        assertThat(tail.events(room, EventTypes.ERROR)).extracting(e -> e.data().path("code").asText())
                .containsExactly("backend_error", "backend_error", "backend_error", "backend_unavailable");
        assertThat(server.requests()).hasSize(6);
    }

    @Test
    void shouldLeaveUsageTheBackendDidNotReportNull() {
        server.enqueue(Reply.tokensWithoutUsage("No", " counts"));
        String id = writer.prompt(room, "how many tokens?");
        await().atMost(WAIT).until(() -> tail.ended(room, id));
        JsonNode usage = tail.events(room, EventTypes.DONE).get(0).data().path("usage");
        assertThat(usage.path("promptTokens").isNull()).as("promptTokens in %s", usage).isTrue();
        assertThat(usage.path("completionTokens").isNull()).as("completionTokens in %s", usage).isTrue();
    }

    @Test
    void shouldPutOnlyTheTokensTheRoomSawIntoTheMessage() {
        String tooLarge = "x".repeat(2 * MAX_RECORD_BYTES);
        CountDownLatch seen = new CountDownLatch(1);
        server.enqueue(Reply.tokens("Seen", " twice", tooLarge, " never").heldBefore(Reply.token(tooLarge), seen));
        String id = writer.prompt(room, "say something too large");
        await().atMost(WAIT).until(() -> tokens(id).size() == 2);
        seen.countDown();
        await().atMost(WAIT).until(() -> tail.ended(room, id));

        List<Event> tokens = tokens(id);
        assertThat(tokens).extracting(e -> e.data().path("text").asText()).containsExactly("Seen", " twice");
        Event error = tail.events(room, EventTypes.ERROR).get(0);
        assertThat(error.data().path("code").asText()).isEqualTo("unavailable");
        JsonNode message = tail.message(room, id).data();
        assertThat(message.path("status").asText()).isEqualTo("error");
        assertThat(message.path("text").asText()).isEqualTo("Seen twice");
        assertThat(message.path("tokens").asInt()).isEqualTo(2);
        assertThat(message.path("replaces").path("from").asLong()).as("replaces in %s", message).isEqualTo(tokens.get(0).offset());
        assertThat(message.path("replaces").path("to").asLong()).as("replaces in %s", message).isEqualTo(tokens.get(1).offset());
    }

    private List<Event> tokens(String id) {
        return tail.events(room, EventTypes.TOKEN).stream().filter(e -> id.equals(e.generationId())).toList();
    }
}
