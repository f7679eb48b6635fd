package io.roomcast.producer.backend;

import java.util.List;

/**
 * The sampling parameters a prompt may set; {@code null} means "the backend's default".
 * Only these are passed on: a prompt cannot override the model endpoint's other request fields.
 */
public record SamplingParams(Double temperature, Double topP, Integer maxTokens, Long seed, List<String> stop) {
    public SamplingParams {
        stop = stop == null ? List.of() : List.copyOf(stop);
    }

    public static SamplingParams defaults() {
        return new SamplingParams(null, null, null, null, List.of());
    }
}
