package io.roomcast.producer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.room.RoomName;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ProducerConversationTest {
    private static final TopicPartition TP = new TopicPartition("roomcast.chat", 0);
    private final ObjectMapper json = new ObjectMapper();
    private final ConversationAssembler assembler = new ConversationAssembler(json, new PromptParser(json, 1000, 100), 1000);

    @Test
    void shouldPairPromptsWithTheirCompletedAnswers() {
        add(1, "prompt", "{\"text\":\"first\"}");
        add(2, "generation.started", gen(1, ""));
        add(3, "token", gen(1, ",\"seq\":0,\"text\":\"Hel\""));
        add(4, "token", gen(1, ",\"seq\":1,\"text\":\"lo\""));
        add(5, "generation.done", gen(1, ""));
        add(6, "prompt", "{\"text\":\"second\"}");
        add(7, "token", gen(6, ",\"seq\":0,\"text\":\"cut\""));
        add(8, "generation.cancelled", gen(6, ""));
        assertThat(assembler.lastTurns(10)).containsExactly(
                new Turn(new GenerationId("roomcast.chat", 0, 1), "first", "Hello"),
                new Turn(new GenerationId("roomcast.chat", 0, 6), "second", null));
    }

    @Test
    void shouldStartTheAnswerAgainAfterARestartMarker() {
        add(1, "prompt", "{\"text\":\"q\"}");
        add(2, "token", gen(1, ",\"seq\":0,\"text\":\"dup\""));
        add(3, "generation.restarted", gen(1, ""));
        add(4, "token", gen(1, ",\"seq\":0,\"text\":\"A\""));
        add(5, "token", gen(1, ",\"seq\":1,\"text\":\"B\""));
        add(6, "token", gen(1, ",\"seq\":1,\"text\":\"B\""));
        add(7, "generation.done", gen(1, ""));
        assertThat(assembler.lastTurns(1)).containsExactly(new Turn(new GenerationId("roomcast.chat", 0, 1), "q", "AB"));
    }

    @Test
    void shouldSkipGarbageAndKeepOnlyTheLastTurns() {
        add(1, "prompt", "not json");
        add(2, "token", "not json");
        add(3, "token", "{\"generationId\":\"unknown:0:0\",\"seq\":0,\"text\":\"x\"}");
        for (int i = 10; i < 15; i++) {
            add(i, "prompt", "{\"text\":\"p" + i + "\"}");
        }
        assertThat(assembler.lastTurns(2)).extracting(Turn::prompt).containsExactly("p13", "p14");
        assertThat(assembler.prompts()).isEqualTo(5);
    }

    private String gen(long promptOffset, String rest) {
        return "{\"generationId\":\"roomcast.chat:0:" + promptOffset + "\"" + rest + "}";
    }

    private void add(long offset, String type, String data) {
        assembler.add(new RoomRecord(TP, offset, RoomName.of("chat:a"), type, data.getBytes(StandardCharsets.UTF_8), 0));
    }
}
