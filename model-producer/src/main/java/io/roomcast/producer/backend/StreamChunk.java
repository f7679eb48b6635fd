package io.roomcast.producer.backend;

import java.util.Objects;

/** One step of a model's streamed answer: a piece of text, or the end of the answer. */
public sealed interface StreamChunk {

    /** A non-empty piece of the answer's text, in order. */
    record Token(String text) implements StreamChunk {
        public Token {
            Objects.requireNonNull(text, "text");
            if (text.isEmpty()) {
                throw new IllegalArgumentException("a token has text");
            }
        }
    }

    /** The answer is complete; nothing follows. {@code usage} may hold unknown (negative) counts. */
    record Finish(String finishReason, Usage usage) implements StreamChunk {
        public Finish {
            Objects.requireNonNull(finishReason, "finishReason");
            Objects.requireNonNull(usage, "usage");
        }
    }
}
