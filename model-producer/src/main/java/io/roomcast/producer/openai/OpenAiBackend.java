package io.roomcast.producer.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomcast.producer.backend.BackendException;
import io.roomcast.producer.backend.ChatMessage;
import io.roomcast.producer.backend.ChunkChannel;
import io.roomcast.producer.backend.GenerationRequest;
import io.roomcast.producer.backend.ModelBackend;
import io.roomcast.producer.backend.SamplingParams;
import io.roomcast.producer.backend.StreamChunk;
import io.roomcast.producer.backend.TokenStream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Streams answers from any OpenAI-compatible {@code POST /chat/completions} endpoint with
 * {@code stream: true} (vLLM, llama.cpp's server, Ollama, OpenAI), using the JDK's HTTP client.
 *
 * <p>Each open stream is read by one thread of {@code readers}, which parses the server-sent
 * events and hands chunks over through a small bounded buffer, so a slow consumer slows the
 * socket rather than growing memory. Closing the stream aborts the HTTP exchange.
 * Thread-safe.
 */
public final class OpenAiBackend implements ModelBackend {
    static final int READ_AHEAD_CHUNKS = 64;
    static final int MAX_LINE_CHARS = 1 << 20;
    static final int MAX_EVENT_CHARS = 1 << 20;
    private static final int MAX_ERROR_BODY_BYTES = 16 * 1024;

    private final OpenAiSettings settings;
    private final ObjectMapper json;
    private final Executor readers;
    private final HttpClient http;

    public OpenAiBackend(OpenAiSettings settings, ObjectMapper json, Executor readers) {
        this.settings = settings;
        this.json = json;
        this.readers = readers;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public String defaultModel() {
        return settings.model();
    }

    @Override
    public TokenStream open(GenerationRequest request) {
        ChunkChannel channel = new ChunkChannel(READ_AHEAD_CHUNKS);
        HttpRequest.Builder builder = HttpRequest.newBuilder(settings.completionsUri())
                .timeout(settings.responseTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(request)));
        if (!settings.apiKey().isEmpty()) {
            builder.header("Authorization", "Bearer " + settings.apiKey());
        }
        CompletableFuture<HttpResponse<InputStream>> response = http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        AtomicReference<InputStream> body = new AtomicReference<>();
        channel.onClose(() -> {
            response.cancel(true);
            closeQuietly(body.get());
        });
        response.whenComplete((answer, failure) -> {
            if (failure != null) {
                channel.fail(new BackendException(BackendException.BACKEND_ERROR,
                        "cannot reach backend: " + describe(failure), true, null, failure));
                return;
            }
            body.set(answer.body());
            if (channel.isClosed()) {
                closeQuietly(answer.body());
                return;
            }
            try {
                readers.execute(() -> pump(answer, channel));
            } catch (RejectedExecutionException e) {
                closeQuietly(answer.body());
                channel.fail(new BackendException(BackendException.BACKEND_ERROR, "backend reader is shut down", false));
            }
        });
        return channel;
    }

    private void pump(HttpResponse<InputStream> response, ChunkChannel channel) {
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                channel.fail(statusError(response, in));
                return;
            }
            SseReader events = new SseReader(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)),
                    MAX_LINE_CHARS, MAX_EVENT_CHARS);
            ChatCompletionDecoder decoder = new ChatCompletionDecoder(json);
            SseEvent event;
            while ((event = events.next()) != null) {
                Optional<StreamChunk> chunk = decoder.decode(event);
                if (chunk.isPresent() && !channel.put(chunk.get())) {
                    return;
                }
                if (decoder.isDone()) {
                    return;
                }
            }
            channel.put(decoder.endOfStream());
        } catch (BackendException e) {
            channel.fail(e);
        } catch (IOException e) {
            if (!channel.isClosed()) {
                channel.fail(new BackendException(BackendException.BACKEND_ERROR,
                        "connection to backend lost: " + describe(e), true, null, e));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.fail(new BackendException(BackendException.BACKEND_ERROR, "backend reader interrupted", true));
        }
    }

    private BackendException statusError(HttpResponse<InputStream> response, InputStream in) {
        int status = response.statusCode();
        String message = errorMessage(in);
        String text = "backend answered HTTP " + status + (message.isEmpty() ? "" : ": " + message);
        Duration retryAfter = response.headers().firstValue("Retry-After").flatMap(OpenAiBackend::seconds).orElse(null);
        if (status == 429) {
            return new BackendException(BackendException.RATE_LIMITED, text, true, retryAfter, null);
        }
        if (status == 401 || status == 403) {
            return new BackendException(BackendException.UNAUTHORIZED, text, false);
        }
        if (status == 408 || status == 409 || status >= 500) {
            return new BackendException(BackendException.BACKEND_ERROR, text, true, retryAfter, null);
        }
        if (status == 400 || status == 413 || status == 422) {
            return new BackendException(BackendException.BAD_REQUEST, text, false);
        }
        return new BackendException(BackendException.BACKEND_ERROR, text, false);
    }

    private String errorMessage(InputStream in) {
        try {
            byte[] bytes = in.readNBytes(MAX_ERROR_BODY_BYTES);
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            try {
                JsonNode node = json.readTree(text);
                JsonNode error = node == null ? null : node.get("error");
                if (error != null && error.isObject() && error.path("message").isTextual()) {
                    return ChatCompletionDecoder.abbreviate(error.path("message").asText());
                }
                if (error != null && error.isTextual()) {
                    return ChatCompletionDecoder.abbreviate(error.asText());
                }
                if (node != null && node.path("message").isTextual()) {
                    return ChatCompletionDecoder.abbreviate(node.path("message").asText());
                }
            } catch (IOException notJson) {
                // a plain-text error page: use it as it is
            }
            return ChatCompletionDecoder.abbreviate(text);
        } catch (IOException e) {
            return "";
        }
    }

    private byte[] body(GenerationRequest request) {
        ObjectNode root = json.createObjectNode();
        root.put("model", request.model());
        ArrayNode messages = root.putArray("messages");
        for (ChatMessage message : request.messages()) {
            messages.addObject().put("role", message.role()).put("content", message.content());
        }
        root.put("stream", true);
        root.putObject("stream_options").put("include_usage", true);
        SamplingParams params = request.params();
        if (params.temperature() != null) {
            root.put("temperature", params.temperature());
        }
        if (params.topP() != null) {
            root.put("top_p", params.topP());
        }
        if (params.maxTokens() != null) {
            root.put("max_tokens", params.maxTokens());
        }
        if (params.seed() != null) {
            root.put("seed", params.seed());
        }
        if (!params.stop().isEmpty()) {
            ArrayNode stop = root.putArray("stop");
            params.stop().forEach(stop::add);
        }
        try {
            return json.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    private static Optional<Duration> seconds(String header) {
        try {
            long value = Long.parseLong(header.strip());
            return value >= 0 ? Optional.of(Duration.ofSeconds(value)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty(); // an HTTP date: fall back to our own backoff
        }
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static void closeQuietly(InputStream in) {
        if (in == null) {
            return;
        }
        try {
            in.close();
        } catch (IOException e) {
            // the exchange is being abandoned anyway
        }
    }
}
