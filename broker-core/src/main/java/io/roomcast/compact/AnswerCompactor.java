package io.roomcast.compact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.event.RoomEvent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compacts a room's history for a late joiner: the {@code token} events of a generation are held
 * back, and dropped when the generation's {@code generation.message} (the whole answer) comes; the
 * tokens of generations still open when the history ends come out as one {@link Partial} each. Every
 * other event passes through unchanged and in order.
 *
 * <p>Bounded: at most {@code maxOpen} generations are held at once and at most {@code maxChars}
 * characters of one; beyond either, the held text comes out early as a partial (the oldest
 * generation first), and holding starts again with the next token. The characters held count
 * against the process's {@link AnswerBudget} too: when it is spent, the generation's held text goes
 * out at once as a partial and the token passes unchanged. A client appends the partials and tokens
 * of a generation in the order it receives them.
 *
 * <p>Not thread-safe: one instance per subscription, fed in offset order; its only shared state is
 * the budget, given back as held text leaves (a partial, a finished or restarted answer,
 * {@link #finish}, {@link #discard}).
 */
public final class AnswerCompactor {
    public static final String TOKEN = "token";
    public static final String MESSAGE = "generation.message";
    public static final String RESTARTED = "generation.restarted";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to deliver: an event as it is, or the held tokens of a generation as one piece of text. */
    public sealed interface Output {
    }

    public record Pass(RoomEvent event) implements Output {
    }

    /**
     * Tokens {@code fromSeq..toSeq} of {@code generationId}, concatenated; {@code offset} is the last
     * one's (all of them are at or below it).
     */
    public record Partial(String generationId, int fromSeq, int toSeq, long offset, String text) implements Output {
    }

    private static final class Held {
        final StringBuilder text = new StringBuilder();
        int fromSeq;
        int toSeq;
        long offset;
    }

    private final int maxOpen;
    private final int maxChars;
    private final AnswerBudget budget;
    private final Map<String, Held> open = new LinkedHashMap<>();

    public AnswerCompactor(int maxOpen, int maxChars, AnswerBudget budget) {
        if (maxOpen < 1 || maxChars < 1) {
            throw new IllegalArgumentException("maxOpen and maxChars must be positive");
        }
        this.maxOpen = maxOpen;
        this.maxChars = maxChars;
        this.budget = budget;
    }

    /** The outputs of the next history event (none while a token is held). */
    public List<Output> offer(RoomEvent event) {
        switch (event.type()) {
            case TOKEN -> {
                JsonNode data = parse(event);
                if (data == null || !data.path("generationId").isTextual() || !data.path("seq").canConvertToInt()
                        || !data.path("text").isTextual()) {
                    return List.of(new Pass(event)); // not a producer's token: nothing to compact
                }
                return hold(event, data.path("generationId").textValue(), data.path("seq").intValue(), data.path("text").textValue());
            }
            case MESSAGE, RESTARTED -> {
                // the answer is complete (the message replaces the tokens), or void (a restart streams it again)
                JsonNode data = parse(event);
                if (data != null && data.path("generationId").isTextual()) {
                    Held dropped = open.remove(data.path("generationId").textValue());
                    if (dropped != null) {
                        budget.release(dropped.text.length());
                    }
                }
                return List.of(new Pass(event));
            }
            default -> {
                return List.of(new Pass(event));
            }
        }
    }

    /** The end of the history: the generations still open, as one partial each, oldest first. */
    public List<Partial> finish() {
        List<Partial> out = new ArrayList<>(open.size());
        open.forEach((id, held) -> out.add(partial(id, held)));
        discard();
        return out;
    }

    /** The history will not end (its subscription did): what is held is dropped and the budget given back. */
    public void discard() {
        long chars = 0;
        for (Held held : open.values()) {
            chars += held.text.length();
        }
        open.clear();
        budget.release(chars);
    }

    /** Generations held right now. */
    public int held() {
        return open.size();
    }

    private List<Output> hold(RoomEvent event, String generationId, int seq, String text) {
        List<Output> early = new ArrayList<>(0);
        Held held = open.get(generationId);
        if (held != null && held.text.length() + text.length() > maxChars) {
            early.add(release(generationId));
            held = null;
        }
        if (!budget.tryHold(text.length())) {
            if (held != null) {
                early.add(release(generationId));
            }
            early.add(new Pass(event));
            return early;
        }
        if (held == null) {
            if (open.size() >= maxOpen) {
                early.add(release(open.keySet().iterator().next()));
            }
            held = new Held();
            held.fromSeq = seq;
            open.put(generationId, held);
        }
        held.toSeq = seq;
        held.offset = event.offset();
        held.text.append(text);
        return early;
    }

    /** The held text of {@code generationId} as a partial, no longer held. */
    private Partial release(String generationId) {
        Held held = open.remove(generationId);
        budget.release(held.text.length());
        return partial(generationId, held);
    }

    private static Partial partial(String generationId, Held held) {
        return new Partial(generationId, held.fromSeq, held.toSeq, held.offset, held.text.toString());
    }

    private static JsonNode parse(RoomEvent event) {
        try {
            JsonNode node = JSON.readTree(event.data());
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }
}
