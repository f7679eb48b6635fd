package io.roomcast.producer.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.producer.backend.BackendException;
import io.roomcast.producer.backend.StreamChunk;
import io.roomcast.producer.backend.Usage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProducerChatCompletionDecoderTest {
    private final ChatCompletionDecoder decoder = new ChatCompletionDecoder(new ObjectMapper());

    @Test
    void shouldDecodeTokensFinishReasonAndFinalUsage() throws BackendException {
        assertThat(decoder.decode(SseEvent.data("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}"))).isEmpty();
        assertThat(decoder.decode(SseEvent.data("{\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}"))).contains(new StreamChunk.Token("Hel"));
        assertThat(decoder.decode(SseEvent.data("{\"choices\":[{\"delta\":{\"content\":\"\"}}]}"))).isEmpty();
        assertThat(decoder.decode(SseEvent.data("{\"choices\":[{\"delta\":{},\"finish_reason\":\"length\"}]}"))).isEmpty();
        assertThat(decoder.decode(SseEvent.data("{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}"))).isEmpty();
        assertThat(decoder.decode(SseEvent.data("[DONE]"))).contains(new StreamChunk.Finish("length", new Usage(5, 2)));
        assertThat(decoder.isDone()).isTrue();
    }

    @Test
    void shouldDefaultFinishReasonAndUsageWhenAbsent() throws BackendException {
        assertThat(decoder.decode(SseEvent.data("[DONE]"))).contains(new StreamChunk.Finish("stop", Usage.unknown()));
    }

    @Test
    void shouldAcceptEndOfStreamAfterFinishReasonWithoutDone() throws BackendException {
        decoder.decode(SseEvent.data("{\"choices\":[{\"delta\":{\"content\":\"a\"},\"finish_reason\":\"stop\"}]}"));
        assertThat(decoder.endOfStream().finishReason()).isEqualTo("stop");
    }

    @Test
    void shouldRejectEndOfStreamBeforeTheAnswerIsComplete() throws BackendException {
        decoder.decode(SseEvent.data("{\"choices\":[{\"delta\":{\"content\":\"a\"}}]}"));
        assertThatThrownBy(decoder::endOfStream).isInstanceOf(BackendException.class)
                .satisfies(e -> assertThat(((BackendException) e).retryable()).isTrue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "[1,2]", "\"text\"", "null", "{\"choices\":[{\"delta\":{\"content\":\"a\"}}]"})
    void shouldRejectMalformedChunksAsRetryableBackendErrors(String data) {
        assertThatThrownBy(() -> decoder.decode(SseEvent.data(data))).isInstanceOf(BackendException.class)
                .satisfies(e -> {
                    assertThat(((BackendException) e).code()).isEqualTo(BackendException.BACKEND_ERROR);
                    assertThat(((BackendException) e).retryable()).isTrue();
                });
    }

    @Test
    void shouldReportOpenAiStyleErrorObjects() {
        assertThatThrownBy(() -> decoder.decode(SseEvent.data("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}")))
                .isInstanceOf(BackendException.class).hasMessageContaining("overloaded");
    }

    @Test
    void shouldReportVllmStyleErrorObjectsWithTheirStatus() {
        assertThatThrownBy(() -> decoder.decode(SseEvent.data("{\"object\":\"error\",\"message\":\"context too long\",\"code\":400}")))
                .isInstanceOf(BackendException.class)
                .satisfies(e -> {
                    assertThat(((BackendException) e).code()).isEqualTo(BackendException.BAD_REQUEST);
                    assertThat(((BackendException) e).retryable()).isFalse();
                });
    }

    @Test
    void shouldReportRateLimitErrorsInTheStreamAsRetryable() {
        assertThatThrownBy(() -> decoder.decode(SseEvent.data("{\"error\":{\"message\":\"slow down\",\"code\":429}}")))
                .satisfies(e -> assertThat(((BackendException) e).code()).isEqualTo(BackendException.RATE_LIMITED));
    }

    @Test
    void shouldTreatAnErrorEventAsAnError() {
        assertThatThrownBy(() -> decoder.decode(new SseEvent("error", "{\"message\":\"boom\"}", "")))
                .isInstanceOf(BackendException.class).hasMessageContaining("boom");
    }

    @Test
    void shouldIgnoreOtherNamedEventsAndEverythingAfterDone() throws BackendException {
        assertThat(decoder.decode(new SseEvent("ping", "{}", ""))).isEmpty();
        decoder.decode(SseEvent.data("[DONE]"));
        assertThat(decoder.decode(SseEvent.data("{not json"))).isEmpty();
    }
}
