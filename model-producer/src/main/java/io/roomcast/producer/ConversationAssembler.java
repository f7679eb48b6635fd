package io.roomcast.producer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds a room's conversation from its own events, fed in offset order: each valid prompt
 * opens a turn; {@code token} events append to its answer in {@code seq} order (a token out of
 * sequence is ignored); {@code generation.restarted} voids the answer so far; an answer counts
 * only once {@code generation.done} closed it. Pure and not thread-safe.
 */
final class ConversationAssembler {
    /** The event types a conversation is made of; the rest of a room (chat messages, logs) is no part of it. */
    static final Set<String> TYPES = Set.of(EventTypes.PROMPT, EventTypes.TOKEN, EventTypes.RESTARTED, EventTypes.DONE);

    private final ObjectMapper json;
    private final PromptParser prompts;
    private final int maxAnswerChars;
    private final Map<GenerationId, Builder> turns = new LinkedHashMap<>();

    ConversationAssembler(ObjectMapper json, PromptParser prompts, int maxAnswerChars) {
        this.json = json;
        this.prompts = prompts;
        this.maxAnswerChars = maxAnswerChars;
    }

    void add(RoomRecord event) {
        if (EventTypes.PROMPT.equals(event.type())) {
            try {
                turns.put(event.generationId(), new Builder(prompts.prompt(event.value()).text()));
            } catch (InvalidEventException e) {
                // an invalid prompt was answered with an error: it is not part of the conversation
            }
            return;
        }
        if (!TYPES.contains(event.type())) {
            return;
        }
        JsonNode data = parse(event.value());
        Builder turn = data == null ? null : GenerationId.parse(data.path("generationId").asText(null)).map(turns::get).orElse(null);
        if (turn == null) {
            return;
        }
        switch (event.type()) {
            case EventTypes.TOKEN -> {
                if (data.path("seq").asInt(-1) == turn.nextSeq && data.path("text").isTextual()) {
                    turn.nextSeq++;
                    if (turn.answer.length() < maxAnswerChars) {
                        turn.answer.append(data.path("text").asText());
                    }
                }
            }
            case EventTypes.RESTARTED -> {
                turn.answer.setLength(0);
                turn.nextSeq = 0;
                turn.done = false;
            }
            default -> turn.done = true;
        }
    }

    /** How many prompts have been seen. */
    int prompts() {
        return turns.size();
    }

    /** The last {@code n} turns, oldest first. */
    List<Turn> lastTurns(int n) {
        List<Turn> all = new ArrayList<>(turns.size());
        turns.forEach((id, turn) -> all.add(new Turn(id, turn.prompt, turn.done ? turn.answer.toString() : null)));
        return List.copyOf(all.subList(Math.max(0, all.size() - n), all.size()));
    }

    private JsonNode parse(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            JsonNode node = json.readTree(value);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static final class Builder {
        final String prompt;
        final StringBuilder answer = new StringBuilder();
        int nextSeq;
        boolean done;

        Builder(String prompt) {
            this.prompt = prompt;
        }
    }
}
