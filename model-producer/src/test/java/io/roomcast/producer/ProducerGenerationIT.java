package io.roomcast.producer;

import io.roomcast.producer.RoomTail.Event;
import io.roomcast.producer.backend.ResilienceSettings;
import io.roomcast.producer.sim.SimSettings;
import io.roomcast.room.RoomName;
import io.roomcast.room.RoomPartitioner;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A model producer with the simulated model against a real Kafka broker, seen through a plain consumer. */
class ProducerGenerationIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final String namespace = "chat" + TestNames.unique();
    private final String topic = ModelProducerConfig.defaultTopic(namespace);
    private final String logsTopic = "roomcast.logs-" + TestNames.unique();
    private final String room = namespace + ":lobby";
    private ModelProducer producer;
    private RoomWriter writer;
    private RoomTail tail;

    @AfterEach
    void stop() {
        if (producer != null) {
            producer.close();
            // Generation threads finish their current token and exit; none may outlive the close for long.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.isAlive() && t.getName().startsWith("model-producer-"))
                            .extracting(Thread::getName).isEmpty());
        }
        if (writer != null) {
            writer.close();
        }
        if (tail != null) {
            tail.close();
        }
    }

    private void start(SimSettings sim) throws InterruptedException {
        start(sim, ResilienceSettings.defaults());
    }

    private void start(SimSettings sim, ResilienceSettings resilience) throws InterruptedException {
        producer = ModelProducer.start(ModelProducerConfig.builder(TestKafka.bootstrapServers())
                .resilience(resilience)
                .groupId(TestNames.unique("producers"))
                .namespace(namespace)
                .partitions(3)
                .sim(sim)
                .allowedModels(Set.of("sim-large"))
                .maxPromptChars(2_000)
                .logs(logsTopic, "logs:model-producer", true)
                .build());
        assertThat(producer.awaitAssignment(WAIT)).isTrue();
        writer = new RoomWriter(TestKafka.bootstrapServers(), topic);
        tail = new RoomTail(TestKafka.bootstrapServers(), topic);
    }

    private static SimSettings fast() {
        return SimSettings.defaults().withDelay(Duration.ofMillis(1), Duration.ofMillis(3)).withWords(10, 20);
    }

    @Test
    void shouldAnswerAPromptWithStartedTokensInSequenceAndDone() throws InterruptedException {
        start(fast());
        String id = writer.prompt(room, "How do rooms replay their history?");
        await().atMost(WAIT).until(() -> tail.ended(room, id));

        List<Event> events = tail.events(room);
        assertThat(events.get(0).type()).isEqualTo(EventTypes.PROMPT);
        Event started = events.get(1);
        assertThat(started.type()).isEqualTo(EventTypes.STARTED);
        assertThat(started.generationId()).isEqualTo(id);
        assertThat(started.data().path("promptOffset").asLong()).isEqualTo(events.get(0).offset());
        assertThat(started.data().path("model").asText()).isEqualTo("sim");

        List<Event> tokens = events.subList(2, events.size() - 2);
        assertThat(tokens).allSatisfy(t -> assertThat(t.type()).isEqualTo(EventTypes.TOKEN));
        assertThat(tokens).extracting(t -> t.data().path("seq").asInt()).containsExactlyElementsOf(IntStream.range(0, tokens.size()).boxed().toList());
        assertThat(tokens.size()).isBetween(10, 20);
        assertThat(tail.answer(room, id)).containsAnyOf("history", "replay", "rooms");

        Event done = events.get(events.size() - 2);
        assertThat(done.type()).isEqualTo(EventTypes.DONE);
        Event message = events.get(events.size() - 1);
        assertThat(message.type()).isEqualTo(EventTypes.MESSAGE);
        assertThat(message.generationId()).isEqualTo(id);
        assertThat(message.data().path("status").asText()).isEqualTo("done");
        assertThat(message.data().path("text").asText()).isEqualTo(tail.answer(room, id));
        assertThat(message.data().path("tokens").asInt()).isEqualTo(tokens.size());
        assertThat(message.data().path("replaces").path("from").asLong()).isEqualTo(tokens.get(0).offset());
        assertThat(message.data().path("replaces").path("to").asLong()).isEqualTo(tokens.get(tokens.size() - 1).offset());
        assertThat(done.data().path("finishReason").asText()).isEqualTo("stop");
        assertThat(done.data().path("usage").path("completionTokens").asInt()).isEqualTo(tokens.size());
        assertThat(done.data().path("usage").path("promptTokens").asInt()).isPositive();
        assertThat(done.data().path("durationMs").asLong()).isNotNegative();

        try (RoomTail logs = new RoomTail(TestKafka.bootstrapServers(), logsTopic)) {
            await().atMost(WAIT).until(() -> logs.events("logs:model-producer").stream()
                    .anyMatch(e -> e.data().path("line").asText().startsWith("generation done") && e.data().path("line").asText().contains(id)));
            Event line = logs.events("logs:model-producer").get(0);
            assertThat(line.type()).isEqualTo(EventTypes.LOG);
            assertThat(line.data().path("level").asText()).isEqualTo("INFO");
            assertThat(line.data().path("time").asText()).isNotEmpty();
            assertThat(line.data().path("logger").asText()).isNotEmpty();
            assertThat(line.data().path("source").path("host").asText()).isNotEmpty();
            assertThat(line.data().path("source").path("file").asText()).isEqualTo("<model-producer>");
            assertThat(line.data().path("thread").asText()).isNotEmpty();
        }
    }

    @Test
    void shouldAnswerARoomsPromptsInOrderWithTheEarlierTurnsAsContext() throws InterruptedException {
        start(fast());
        String first = writer.prompt(room, "first question about partitions");
        String second = writer.prompt(room, "second question about offsets");
        await().atMost(WAIT).until(() -> tail.ended(room, second));
        List<Event> lifecycle = tail.events(room, EventTypes.STARTED, EventTypes.DONE);
        assertThat(lifecycle).extracting(Event::type, Event::generationId).containsExactly(
                org.assertj.core.groups.Tuple.tuple(EventTypes.STARTED, first), org.assertj.core.groups.Tuple.tuple(EventTypes.DONE, first),
                org.assertj.core.groups.Tuple.tuple(EventTypes.STARTED, second), org.assertj.core.groups.Tuple.tuple(EventTypes.DONE, second));
        // the simulated model counts the words of every message it was sent: the second prompt came with the first turn
        int firstPromptTokens = tail.events(room, EventTypes.DONE).get(0).data().path("usage").path("promptTokens").asInt();
        int secondPromptTokens = tail.events(room, EventTypes.DONE).get(1).data().path("usage").path("promptTokens").asInt();
        assertThat(firstPromptTokens).isEqualTo(4);
        assertThat(secondPromptTokens).isGreaterThan(4 + 4 + 9);
    }

    @Test
    void shouldCancelARunningGenerationWithinATokenInterval() throws InterruptedException {
        start(SimSettings.defaults().withDelay(Duration.ofMillis(40), Duration.ofMillis(40)).withWords(200, 200));
        String id = writer.prompt(room, "a long answer please");
        await().atMost(WAIT).until(() -> tail.events(room, EventTypes.TOKEN).size() >= 3);
        writer.publish(room, EventTypes.CANCEL, "{\"generationId\":\"" + id + "\"}");
        await().atMost(WAIT).until(() -> tail.ended(room, id));

        List<Event> events = tail.events(room);
        Event last = events.get(events.size() - 2);
        assertThat(last.type()).isEqualTo(EventTypes.CANCELLED);
        Event message = events.get(events.size() - 1);
        assertThat(message.data().path("status").asText()).isEqualTo("cancelled");
        assertThat(message.data().path("text").asText()).isEqualTo(tail.answer(room, id));
        assertThat(message.data().path("tokens").asInt()).isEqualTo(last.data().path("tokens").asInt());
        assertThat(last.data().path("tokens").asInt()).isEqualTo(tail.events(room, EventTypes.TOKEN).size()).isLessThan(200);
        long cancelOffset = tail.events(room, EventTypes.CANCEL).get(0).offset();
        // at most one token was already on its way when the cancel was read
        assertThat(events.stream().filter(e -> e.type().equals(EventTypes.TOKEN) && e.offset() > cancelOffset).count()).isLessThanOrEqualTo(2);
    }

    @Test
    void shouldCancelAQueuedPromptByItsOffsetWithoutStartingIt() throws InterruptedException {
        start(SimSettings.defaults().withDelay(Duration.ofMillis(20), Duration.ofMillis(20)).withWords(30, 30));
        String running = writer.prompt(room, "first");
        String queued = writer.prompt(room, "second");
        long queuedOffset = GenerationId.parse(queued).orElseThrow().offset();
        writer.publish(room, EventTypes.CANCEL, "{\"promptOffset\":" + queuedOffset + "}");
        await().atMost(WAIT).until(() -> tail.ended(room, queued) && tail.ended(room, running));

        assertThat(tail.events(room, EventTypes.DONE)).extracting(Event::generationId).containsExactly(running);
        assertThat(tail.events(room, EventTypes.CANCELLED)).extracting(Event::generationId).containsExactly(queued);
        assertThat(tail.events(room, EventTypes.STARTED)).extracting(Event::generationId).containsExactly(running);
    }

    @Test
    void shouldAnswerGarbagePromptsWithErrorsAndKeepWorking() throws InterruptedException {
        start(fast());
        String notJson = writer.publish(room, EventTypes.PROMPT, "this is not json");
        String noText = writer.publish(room, EventTypes.PROMPT, "{\"model\":\"sim\"}");
        String huge = writer.publish(room, EventTypes.PROMPT, "{\"text\":\"" + "x".repeat(50_000) + "\"}");
        String binary = writer.publish(room.getBytes(StandardCharsets.UTF_8), EventTypes.PROMPT, new byte[] {(byte) 0xc3, 0x28, 0x00, (byte) 0xff});
        String badModel = writer.publish(room, EventTypes.PROMPT, "{\"text\":\"hi\",\"model\":\"gpt-huge\"}");
        String otherModel = writer.publish(room, EventTypes.PROMPT, "{\"text\":\"hi there\",\"model\":\"sim-large\"}");
        writer.publish((byte[]) null, EventTypes.PROMPT, "{\"text\":\"no room\"}".getBytes(StandardCharsets.UTF_8));
        writer.publish("bad room name with spaces", EventTypes.PROMPT, "{\"text\":\"x\"}");
        writer.publish(room, EventTypes.CANCEL, "garbage");
        writer.publish(room, EventTypes.CANCEL, "{\"generationId\":\"nonsense\"}");
        writer.publish(room.getBytes(StandardCharsets.UTF_8), null, new byte[] {1, 2, 3});
        writer.publish(room.getBytes(StandardCharsets.UTF_8), new String(new byte[] {(byte) 0xff}, StandardCharsets.ISO_8859_1), null);
        String valid = writer.prompt(room, "still there?");
        await().atMost(WAIT).until(() -> tail.ended(room, valid));

        assertThat(errorCode(notJson)).isEqualTo("bad_request");
        assertThat(errorCode(noText)).isEqualTo("bad_request");
        assertThat(errorCode(huge)).isEqualTo("too_large");
        assertThat(errorCode(binary)).isEqualTo("bad_request");
        assertThat(errorCode(badModel)).isEqualTo("model_not_allowed");
        Event failed = tail.message(room, notJson);
        assertThat(failed.data().path("status").asText()).isEqualTo("error");
        assertThat(failed.data().path("text").asText()).isEmpty();
        assertThat(failed.data().path("replaces").isNull()).isTrue();
        assertThat(tail.events(room, EventTypes.STARTED)).extracting(Event::generationId).containsExactly(otherModel, valid);
        assertThat(tail.events(room, EventTypes.STARTED).get(0).data().path("model").asText()).isEqualTo("sim-large");
        assertThat(tail.events(room, EventTypes.DONE)).extracting(Event::generationId).containsExactly(otherModel, valid);
    }

    @Test
    void shouldAnswerOverloadedWhenEveryGenerationSlotStaysBusy() throws InterruptedException {
        start(SimSettings.defaults().withDelay(Duration.ofMillis(30), Duration.ofMillis(30)).withWords(60, 60),
                ResilienceSettings.defaults().withBulkhead(1, Duration.ofMillis(300)));
        String other = IntStream.range(0, 100).mapToObj(i -> namespace + ":other-" + i)
                .filter(r -> partitionOf(r) != partitionOf(room)).findFirst().orElseThrow();
        String running = writer.prompt(room, "slow one");
        await().atMost(WAIT).until(() -> !tail.events(room, EventTypes.STARTED).isEmpty());
        String waiting = writer.prompt(other, "no slot for me");
        await().atMost(WAIT).until(() -> tail.ended(other, waiting) && tail.ended(room, running));
        assertThat(tail.events(other, EventTypes.ERROR)).extracting(e -> e.data().path("code").asText()).containsExactly("overloaded");
        assertThat(tail.events(room, EventTypes.DONE)).hasSize(1);
    }

    private static int partitionOf(String room) {
        return RoomPartitioner.partition(RoomName.of(room), 3);
    }

    private String errorCode(String id) {
        return tail.events(room, EventTypes.ERROR).stream().filter(e -> id.equals(e.generationId()))
                .map(e -> e.data().path("code").asText()).findFirst().orElse("none");
    }
}
