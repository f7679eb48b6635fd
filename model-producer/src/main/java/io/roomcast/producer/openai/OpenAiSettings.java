package io.roomcast.producer.openai;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to reach an OpenAI-compatible server. {@code baseUrl} is the API root that
 * {@code /chat/completions} is appended to, e.g. {@code http://localhost:8000/v1} (vLLM),
 * {@code http://localhost:11434/v1} (Ollama) or {@code https://api.openai.com/v1};
 * {@code apiKey} may be empty for local servers. {@code responseTimeout} bounds the wait for the
 * response headers; the first-token and between-token limits are applied by the caller.
 */
public record OpenAiSettings(URI baseUrl, String model, String apiKey, Duration connectTimeout, Duration responseTimeout) {
    public OpenAiSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(model, "model");
        apiKey = apiKey == null ? "" : apiKey;
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        String scheme = baseUrl.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("base URL must be http or https: " + baseUrl);
        }
        if (model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
    }

    public static OpenAiSettings of(String baseUrl, String model, String apiKey) {
        return new OpenAiSettings(URI.create(baseUrl), model, apiKey, Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    /** The chat completions endpoint. */
    public URI completionsUri() {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/chat/completions");
    }

    @Override
    public String toString() {
        // never print the key
        return "OpenAiSettings[baseUrl=" + baseUrl + ", model=" + model + ", apiKey=" + (apiKey.isEmpty() ? "none" : "***") + "]";
    }
}
