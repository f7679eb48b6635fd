package io.roomcast.producer;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProducerPromptParserTest {
    private final PromptParser parser = new PromptParser(new ObjectMapper(), 100, 50);

    @Test
    void shouldParseAFullPrompt() throws InvalidEventException {
        Prompt prompt = parser.prompt(bytes("{\"text\":\"hi\",\"model\":\"m\",\"params\":{\"temperature\":0.5,\"top_p\":0.9,\"maxTokens\":10,\"seed\":7,\"stop\":[\"\\n\"],\"other\":1}}"));
        assertThat(prompt.text()).isEqualTo("hi");
        assertThat(prompt.model()).isEqualTo("m");
        assertThat(prompt.params().temperature()).isEqualTo(0.5);
        assertThat(prompt.params().topP()).isEqualTo(0.9);
        assertThat(prompt.params().maxTokens()).isEqualTo(10);
        assertThat(prompt.params().seed()).isEqualTo(7L);
        assertThat(prompt.params().stop()).containsExactly("\n");
    }

    @Test
    void shouldAcceptAPlainStringAsTheText() throws InvalidEventException {
        assertThat(parser.prompt(bytes("\"just text\"")).text()).isEqualTo("just text");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json at all|bad_request",
            "[1,2,3]|bad_request",
            "42|bad_request",
            "null|bad_request",
            "{}|bad_request",
            "{\"text\":\"   \"}|bad_request",
            "{\"text\":17}|bad_request",
            "{\"text\":\"x\",\"model\":5}|bad_request",
            "{\"text\":\"x\",\"model\":\"\"}|bad_request",
            "{\"text\":\"x\",\"params\":[]}|bad_request",
            "{\"text\":\"x\",\"params\":{\"temperature\":9}}|bad_request",
            "{\"text\":\"x\",\"params\":{\"temperature\":\"hot\"}}|bad_request",
            "{\"text\":\"x\",\"params\":{\"maxTokens\":0}}|bad_request",
            "{\"text\":\"x\",\"params\":{\"maxTokens\":51}}|bad_request",
            "{\"text\":\"x\",\"params\":{\"seed\":1.5}}|bad_request",
            "{\"text\":\"x\",\"params\":{\"stop\":[1]}}|bad_request",
            "{\"text\":\"x\",\"params\":{\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}}|bad_request",
            "{\"text\":\"x\",\"params\":{\"stop\":\"\"}}|bad_request",
    })
    void shouldRejectGarbagePrompts(String data, String code) {
        assertThatThrownBy(() -> parser.prompt(bytes(data))).isInstanceOf(InvalidEventException.class)
                .satisfies(e -> assertThat(((InvalidEventException) e).code()).isEqualTo(code));
    }

    @Test
    void shouldRejectMissingAndNonUtf8Values() {
        assertThatThrownBy(() -> parser.prompt(null)).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> parser.prompt(new byte[0])).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> parser.prompt(new byte[] {(byte) 0xff, (byte) 0xfe, 0x00})).isInstanceOf(InvalidEventException.class);
    }

    @Test
    void shouldRejectHugePromptsAsTooLarge() {
        assertThatThrownBy(() -> parser.prompt(bytes("{\"text\":\"" + "x".repeat(101) + "\"}")))
                .satisfies(e -> assertThat(((InvalidEventException) e).code()).isEqualTo(GenerationFailure.TOO_LARGE));
        assertThatThrownBy(() -> parser.prompt(bytes("{\"text\":\"" + "x".repeat(200_000) + "\"}")))
                .satisfies(e -> assertThat(((InvalidEventException) e).code()).isEqualTo(GenerationFailure.TOO_LARGE));
    }

    @Test
    void shouldParseCancelTargets() throws InvalidEventException {
        assertThat(parser.cancel(bytes("{\"generationId\":\"roomcast.chat:3:41\"}")))
                .isEqualTo(CancelTarget.of(new GenerationId("roomcast.chat", 3, 41)));
        assertThat(parser.cancel(bytes("{\"promptOffset\":41}"))).isEqualTo(CancelTarget.ofOffset(41));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"generationId\":\"nope\"}", "{\"promptOffset\":-1}", "{\"promptOffset\":\"1\"}", "{\"promptOffset\":1.5}", "garbage"})
    void shouldRejectGarbageCancels(String data) {
        assertThatThrownBy(() -> parser.cancel(bytes(data))).isInstanceOf(InvalidEventException.class);
    }

    @Test
    void shouldRoundTripGenerationIds() {
        GenerationId id = new GenerationId("roomcast.chat-x", 11, 1234567);
        assertThat(GenerationId.parse(id.value())).contains(id);
        for (String bad : List.of("", ":", "a:b:c", "t:1", "t:-1:2", ":1:2")) {
            assertThat(GenerationId.parse(bad)).as(bad).isEmpty();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
