package io.roomcast.producer.sim;

import io.roomcast.producer.backend.ChatMessage;
import io.roomcast.producer.backend.GenerationRequest;
import io.roomcast.producer.backend.SamplingParams;
import io.roomcast.producer.backend.StreamChunk;
import io.roomcast.producer.backend.TokenStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProducerSimBackendTest {
    private final ExecutorService pacers = Executors.newCachedThreadPool();
    private final SimBackend sim = new SimBackend(SimSettings.defaults().withDelay(Duration.ZERO, Duration.ofMillis(1)), pacers);

    @AfterEach
    void stop() throws InterruptedException {
        pacers.shutdownNow();
        assertThat(pacers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shouldStreamTheSameAnswerForTheSameSeedAndPrompt() throws Exception {
        List<StreamChunk> first = drain(sim.open(request("How do rooms replay their history?", SamplingParams.defaults())));
        List<StreamChunk> second = drain(sim.open(request("How do rooms replay their history?", SamplingParams.defaults())));
        assertThat(first).isEqualTo(second);
        assertThat(first.size() - 1).isBetween(20, 80);
        assertThat(first.get(first.size() - 1)).isInstanceOf(StreamChunk.Finish.class);
        assertThat(text(first)).contains("history").doesNotStartWith(" ");
    }

    @Test
    void shouldAnswerOtherPromptsDifferently() throws Exception {
        assertThat(text(drain(sim.open(request("tell me about kafka partitions", SamplingParams.defaults())))))
                .isNotEqualTo(text(drain(sim.open(request("what about websockets", SamplingParams.defaults())))));
    }

    @Test
    void shouldStopAtMaxTokensWithFinishReasonLength() throws Exception {
        List<StreamChunk> chunks = drain(sim.open(request("anything", new SamplingParams(null, null, 3, null, List.of()))));
        assertThat(chunks).hasSize(4);
        assertThat(((StreamChunk.Finish) chunks.get(3)).finishReason()).isEqualTo("length");
        assertThat(((StreamChunk.Finish) chunks.get(3)).usage().completionTokens()).isEqualTo(3);
    }

    @Test
    void shouldFailAnOutstandingNextWhenClosed() {
        SimBackend slow = new SimBackend(SimSettings.defaults().withDelay(Duration.ofSeconds(30), Duration.ofSeconds(30)), pacers);
        TokenStream stream = slow.open(request("slow", SamplingParams.defaults()));
        var next = stream.next();
        stream.close();
        assertThatThrownBy(() -> next.get(5, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
    }

    private static GenerationRequest request(String prompt, SamplingParams params) {
        return new GenerationRequest("sim", List.of(ChatMessage.user(prompt)), params);
    }

    private static List<StreamChunk> drain(TokenStream stream) throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        List<StreamChunk> chunks = new ArrayList<>();
        StreamChunk chunk;
        do {
            chunk = stream.next().get(5, TimeUnit.SECONDS);
            chunks.add(chunk);
        } while (!(chunk instanceof StreamChunk.Finish));
        stream.close();
        return chunks;
    }

    private static String text(List<StreamChunk> chunks) {
        StringBuilder text = new StringBuilder();
        chunks.stream().filter(c -> c instanceof StreamChunk.Token).forEach(c -> text.append(((StreamChunk.Token) c).text()));
        return text.toString();
    }
}
