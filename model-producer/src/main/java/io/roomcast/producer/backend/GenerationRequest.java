package io.roomcast.producer.backend;

import java.util.List;
import java.util.Objects;

/**
 * What a backend is asked to generate: the model, the conversation ending with the user's
 * prompt, and the sampling parameters the prompt chose (already validated).
 */
public record GenerationRequest(String model, List<ChatMessage> messages, SamplingParams params) {
    public GenerationRequest {
        Objects.requireNonNull(model, "model");
        messages = List.copyOf(messages);
        Objects.requireNonNull(params, "params");
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a request has at least one message");
        }
    }

    /** The last message, the prompt being answered. */
    public ChatMessage prompt() {
        return messages.get(messages.size() - 1);
    }
}
