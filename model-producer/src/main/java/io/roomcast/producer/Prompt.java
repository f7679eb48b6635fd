package io.roomcast.producer;

import io.roomcast.producer.backend.SamplingParams;

import java.util.Objects;

/** A validated prompt: the user's text, the model it asked for ({@code null} = the default) and its parameters. */
public record Prompt(String text, String model, SamplingParams params) {
    public Prompt {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(params, "params");
    }
}
