package io.roomcast.producer.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.roomcast.producer.backend.BackendException;
import io.roomcast.producer.backend.ChatMessage;
import io.roomcast.producer.backend.GenerationRequest;
import io.roomcast.producer.backend.GuardedBackend;
import io.roomcast.producer.backend.OpenedStream;
import io.roomcast.producer.backend.ResilienceSettings;
import io.roomcast.producer.backend.SamplingParams;
import io.roomcast.producer.backend.StreamChunk;
import io.roomcast.producer.backend.StreamHandle;
import io.roomcast.producer.backend.Usage;
import io.roomcast.producer.openai.FakeOpenAiServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The OpenAI backend behind its Resilience4j guard, against a real local HTTP server. */
class ProducerOpenAiBackendIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final FakeOpenAiServer server = FakeOpenAiServer.start();
    private final ExecutorService readers = Executors.newCachedThreadPool();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ResilienceSettings settings = ResilienceSettings.defaults()
            .withTimeouts(Duration.ofMillis(800), Duration.ofMillis(500))
            .withRetry(3, Duration.ofMillis(20), Duration.ofMillis(100))
            .withBreaker(100, 4, 4, Duration.ofSeconds(30));
    private final GuardedBackend backend = new GuardedBackend(
            new OpenAiBackend(OpenAiSettings.of(server.baseUrl(), "test-model", "sk-test"), new ObjectMapper(), readers), settings, timer);

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
        readers.shutdownNow();
        timer.shutdownNow();
        assertThat(readers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shouldStreamTokensThenFinishWithUsage() throws Exception {
        server.enqueue(Reply.tokens("Hel", "lo", " world"));
        List<StreamChunk> chunks = readAll(request());
        assertThat(chunks).containsExactly(new StreamChunk.Token("Hel"), new StreamChunk.Token("lo"), new StreamChunk.Token(" world"),
                new StreamChunk.Finish("stop", new Usage(7, 3)));
        JsonNode sent = server.requests().get(0);
        assertThat(sent.path("model").asText()).isEqualTo("test-model");
        assertThat(sent.path("stream").asBoolean()).isTrue();
        assertThat(sent.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(sent.path("messages").get(1).path("content").asText()).isEqualTo("and now?");
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(20);
        assertThat(server.authorizations()).containsExactly("Bearer sk-test");
    }

    @Test
    void shouldParseMultiLineDataAndCommentsInARealStream() throws Exception {
        server.enqueue(Reply.raw(": hello\n\n", "data: {\"choices\":[{\"delta\":\ndata: {\"content\":\"A\"}}]}\n\n",
                "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n", "data: [DONE]\n\n"));
        assertThat(readAll(request())).containsExactly(new StreamChunk.Token("A"), new StreamChunk.Finish("stop", Usage.unknown()));
    }

    @Test
    void shouldFailTheStreamOnAMalformedChunkMidStream() throws Exception {
        server.enqueue(Reply.raw(Reply.token("ok"), Reply.data("{broken"), Reply.token("never")));
        OpenedStream opened = open();
        assertThat(opened.first()).isEqualTo(new StreamChunk.Token("ok"));
        assertThatThrownBy(() -> backend.next(opened.stream()).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(BackendException.class).hasMessageContaining("malformed chunk");
    }

    @Test
    void shouldRetryAMalformedFirstChunk() throws Exception {
        server.enqueue(Reply.raw(Reply.data("not json")), Reply.tokens("fine"));
        assertThat(readAll(request())).startsWith(new StreamChunk.Token("fine"));
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void shouldTimeOutAStreamThatStallsBetweenTokens() throws Exception {
        server.enqueue(Reply.stallAfter("a", "b"));
        OpenedStream opened = open();
        assertThat(backend.next(opened.stream()).get(10, TimeUnit.SECONDS)).isEqualTo(new StreamChunk.Token("b"));
        assertThatThrownBy(() -> backend.next(opened.stream()).get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);
    }

    @Test
    void shouldRetryAStallBeforeTheFirstTokenAndGiveUpAfterTheLastAttempt() {
        server.defaultReply(Reply.stallAfter());
        assertThatThrownBy(this::open).hasCauseInstanceOf(TimeoutException.class);
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void shouldFailOnADisconnectMidStream() throws Exception {
        // paced: the JDK client reports a broken connection at once, even over data it has buffered
        server.enqueue(Reply.disconnectAfter("x", "y").paced(Duration.ofMillis(100)));
        OpenedStream opened = open();
        assertThat(opened.first()).isEqualTo(new StreamChunk.Token("x"));
        assertThat(backend.next(opened.stream()).get(10, TimeUnit.SECONDS)).isEqualTo(new StreamChunk.Token("y"));
        assertThatThrownBy(() -> backend.next(opened.stream()).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(BackendException.class);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void shouldRetryRateLimitingAndServerErrorsBeforeTheFirstToken() throws Exception {
        server.enqueue(Reply.status(429, "{\"error\":{\"message\":\"slow down\"}}", "0"),
                Reply.status(500, "oops", null), Reply.tokens("made it"));
        assertThat(readAll(request())).startsWith(new StreamChunk.Token("made it"));
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void shouldWaitAsLongAsRetryAfterAsksBeforeRetrying() throws Exception {
        // Longer than the retry backoff's longest wait (8 s), which used to cut it short.
        server.enqueue(Reply.status(429, "{\"error\":{\"message\":\"slow down\"}}", "10"), Reply.tokens("patience"));
        long start = System.nanoTime();
        OpenedStream opened = backend.open(request(), new StreamHandle()).get(30, TimeUnit.SECONDS);
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        opened.stream().close();
        assertThat(opened.first()).isEqualTo(new StreamChunk.Token("patience"));
        assertThat(server.requests()).hasSize(2);
        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void shouldNotRetryWhenRetryAfterIsBeyondTheLongestWait() {
        server.defaultReply(Reply.status(429, "{\"error\":{\"message\":\"come back in an hour\"}}", "3600"));
        assertThatThrownBy(this::open).hasCauseInstanceOf(BackendException.class)
                .satisfies(e -> assertThat(((BackendException) e.getCause()).code()).isEqualTo(BackendException.RATE_LIMITED));
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void shouldReportRateLimitingWhenRetriesAreExhausted() {
        server.defaultReply(Reply.status(429, "{\"error\":{\"message\":\"slow down\"}}", null));
        assertThatThrownBy(this::open).hasCauseInstanceOf(BackendException.class)
                .satisfies(e -> {
                    BackendException failure = (BackendException) e.getCause();
                    assertThat(failure.code()).isEqualTo(BackendException.RATE_LIMITED);
                    assertThat(failure.getMessage()).contains("slow down");
                });
    }

    @Test
    void shouldNotRetryARefusedRequest() {
        server.defaultReply(Reply.status(401, "{\"error\":{\"message\":\"bad key\"}}", null));
        assertThatThrownBy(this::open).hasCauseInstanceOf(BackendException.class);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void shouldOpenTheCircuitAfterRepeatedFailuresAndFailFast() {
        server.defaultReply(Reply.status(500, "down", null));
        assertThatThrownBy(this::open).hasCauseInstanceOf(BackendException.class);
        assertThatThrownBy(this::open).hasCauseInstanceOf(CallNotPermittedException.class);
        int requests = server.requests().size();
        assertThatThrownBy(this::open).hasCauseInstanceOf(CallNotPermittedException.class);
        assertThat(server.requests()).hasSize(requests);
    }

    @Test
    void shouldReportAnErrorObjectInTheStream() {
        server.enqueue(Reply.raw(Reply.data("{\"error\":{\"message\":\"model crashed\",\"code\":400}}")));
        assertThatThrownBy(this::open).hasCauseInstanceOf(BackendException.class).hasMessageContaining("model crashed");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void shouldReportAnUnreachableServer() {
        server.close();
        assertThatThrownBy(this::open).hasCauseInstanceOf(BackendException.class).hasMessageContaining("cannot reach backend");
    }

    @Test
    void shouldAbortAnAttemptWhenTheHandleIsClosed() throws Exception {
        server.defaultReply(Reply.stallAfter());
        StreamHandle handle = new StreamHandle();
        var opening = backend.open(request(), handle);
        handle.close();
        assertThatThrownBy(() -> opening.get(10, TimeUnit.SECONDS)).isInstanceOfAny(ExecutionException.class, CancellationException.class);
    }

    private OpenedStream open() throws Exception {
        return backend.open(request(), new StreamHandle()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private List<StreamChunk> readAll(GenerationRequest request) throws Exception {
        OpenedStream opened = backend.open(request, new StreamHandle()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        List<StreamChunk> chunks = new ArrayList<>();
        StreamChunk chunk = opened.first();
        chunks.add(chunk);
        while (!(chunk instanceof StreamChunk.Finish)) {
            chunk = backend.next(opened.stream()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            chunks.add(chunk);
        }
        opened.stream().close();
        return chunks;
    }

    private static GenerationRequest request() {
        return new GenerationRequest("test-model", List.of(ChatMessage.system("be brief"), ChatMessage.user("and now?")),
                new SamplingParams(null, null, 20, null, List.of()));
    }
}
