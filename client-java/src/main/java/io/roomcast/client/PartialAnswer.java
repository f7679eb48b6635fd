package io.roomcast.client;

import java.util.Objects;

/**
 * The tokens {@code fromSeq..toSeq} of an answer that was still streaming when a {@link SubscribeOptions#compact()
 * compact} history was read, concatenated ({@code partial} frame). It comes after the history's events and before
 * {@code onLive}; the answer's later tokens (from {@code toSeq + 1}) follow as events, with no gap and no duplicate.
 * Several partials of one answer are appended in order. Its offset may lie below events delivered before it (the
 * tokens were held while later events passed); every partial is delivered, and after a resume one may repeat tokens
 * already seen: keep each {@code seq} once.
 *
 * @param offset the last of those tokens' offsets
 */
public record PartialAnswer(String room, String generationId, long fromSeq, long toSeq, long offset, String text) {

    public PartialAnswer {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(generationId, "generationId");
        Objects.requireNonNull(text, "text");
    }
}
