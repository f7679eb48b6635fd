package io.roomcast.producer.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.producer.backend.BackendException;
import io.roomcast.producer.backend.StreamChunk;
import io.roomcast.producer.backend.Usage;

import java.util.Optional;

/**
 * Turns the events of one OpenAI-style {@code chat.completion.chunk} stream into
 * {@link StreamChunk}s. Stateful, one per stream, not thread-safe.
 *
 * <p>Understood: {@code choices[0].delta.content} (text), {@code choices[0].finish_reason},
 * {@code usage} (usually in a last chunk with empty {@code choices}), {@code [DONE]}, and error
 * objects in either shape servers use ({@code {"error":{...}}} and vLLM's
 * {@code {"object":"error",...}}). Other fields (roles, tool calls, reasoning text, logprobs)
 * are ignored. A chunk that is not JSON is a retryable {@code backend_error}: losing a piece
 * of the answer silently would be worse than failing loudly.
 */
public final class ChatCompletionDecoder {
    private final ObjectMapper json;
    private String finishReason;
    private Usage usage = Usage.unknown();
    private boolean done;

    public ChatCompletionDecoder(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The chunk an event contributes: a token, the finish (on {@code [DONE]}), or nothing.
     */
    public Optional<StreamChunk> decode(SseEvent event) throws BackendException {
        if (done) {
            return Optional.empty();
        }
        if (!SseEvent.DEFAULT_TYPE.equals(event.event()) && !"error".equals(event.event())) {
            return Optional.empty();
        }
        String data = event.data().strip();
        if (data.equals("[DONE]")) {
            done = true;
            return Optional.of(new StreamChunk.Finish(finishReason == null ? "stop" : finishReason, usage));
        }
        JsonNode chunk;
        try {
            chunk = json.readTree(data);
        } catch (JsonProcessingException e) {
            throw new BackendException(BackendException.BACKEND_ERROR, "malformed chunk from backend: " + abbreviate(data), true);
        }
        if (chunk == null || !chunk.isObject()) {
            throw new BackendException(BackendException.BACKEND_ERROR, "malformed chunk from backend: " + abbreviate(data), true);
        }
        checkError(chunk, "error".equals(event.event()));
        JsonNode usageNode = chunk.path("usage");
        if (usageNode.isObject()) {
            usage = new Usage(usageNode.path("prompt_tokens").asInt(Usage.UNKNOWN),
                    usageNode.path("completion_tokens").asInt(Usage.UNKNOWN));
        }
        JsonNode choice = chunk.path("choices").path(0);
        if (choice.path("finish_reason").isTextual()) {
            finishReason = choice.path("finish_reason").asText();
        }
        JsonNode content = choice.path("delta").path("content");
        if (content.isTextual() && !content.asText().isEmpty()) {
            return Optional.of(new StreamChunk.Token(content.asText()));
        }
        return Optional.empty();
    }

    /**
     * The finish when the server closed the stream without {@code [DONE]}: accepted if a
     * finish reason was seen (some servers omit {@code [DONE]}), otherwise the stream broke off.
     */
    public StreamChunk.Finish endOfStream() throws BackendException {
        if (finishReason == null) {
            throw new BackendException(BackendException.BACKEND_ERROR, "backend closed the stream before the answer was complete", true);
        }
        done = true;
        return new StreamChunk.Finish(finishReason, usage);
    }

    public boolean isDone() {
        return done;
    }

    private static void checkError(JsonNode chunk, boolean errorEvent) throws BackendException {
        JsonNode error = chunk.get("error");
        if (error != null && !error.isNull()) {
            String message = error.isObject() ? error.path("message").asText("") : error.asText("");
            throw errorFrom(error.isObject() ? error.path("code") : null, message);
        }
        if ("error".equals(chunk.path("object").asText()) || errorEvent) {
            throw errorFrom(chunk.path("code"), chunk.path("message").asText(""));
        }
    }

    private static BackendException errorFrom(JsonNode code, String message) {
        int status = code != null && code.canConvertToInt() ? code.asInt() : 0;
        String text = message.isBlank() ? "backend reported an error" : "backend reported an error: " + abbreviate(message);
        if (status == 429) {
            return new BackendException(BackendException.RATE_LIMITED, text, true);
        }
        boolean clientError = status >= 400 && status < 500;
        return new BackendException(clientError ? BackendException.BAD_REQUEST : BackendException.BACKEND_ERROR, text, !clientError);
    }

    static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
