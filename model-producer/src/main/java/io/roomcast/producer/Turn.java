package io.roomcast.producer;

/** One exchange of a room's conversation: a prompt and its completed answer ({@code null} if it has none). */
public record Turn(GenerationId id, String prompt, String answer) {
}
