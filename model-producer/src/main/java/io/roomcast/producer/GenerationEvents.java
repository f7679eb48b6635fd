package io.roomcast.producer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomcast.producer.backend.Usage;

/**
 * The data of every event the producer writes into a room, in one place so that the wire
 * shapes documented in {@code docs/protocol.md} have a single source. Thread-safe.
 */
public final class GenerationEvents {
    private final ObjectMapper json;

    public GenerationEvents(ObjectMapper json) {
        this.json = json;
    }

    /** {@code {"generationId","promptOffset","model"}}: the answer to the prompt begins. */
    public ObjectNode started(GenerationId id, String model) {
        return base(id).put("promptOffset", id.offset()).put("model", model);
    }

    /**
     * {@code {"generationId","promptOffset","model","reason"}}: a producer took the generation
     * over after its previous one stopped without a terminal event; everything the room saw of
     * this generation's tokens so far is void, and tokens start again from {@code seq} 0.
     */
    public ObjectNode restarted(GenerationId id, String model, String reason) {
        return started(id, model).put("reason", reason);
    }

    /** {@code {"generationId","seq","text"}}: the next piece of the answer; {@code seq} counts from 0. */
    public ObjectNode token(GenerationId id, int seq, String text) {
        return base(id).put("seq", seq).put("text", text);
    }

    /** {@code {"generationId","finishReason","usage":{"promptTokens","completionTokens"},"durationMs"}}. */
    public ObjectNode done(GenerationId id, String finishReason, Usage usage, long durationMs) {
        ObjectNode data = base(id).put("finishReason", finishReason);
        ObjectNode counts = data.putObject("usage");
        if (usage.promptTokens() >= 0) {
            counts.put("promptTokens", usage.promptTokens());
        } else {
            counts.putNull("promptTokens");
        }
        if (usage.completionTokens() >= 0) {
            counts.put("completionTokens", usage.completionTokens());
        } else {
            counts.putNull("completionTokens");
        }
        return data.put("durationMs", durationMs);
    }

    /** {@code {"generationId","tokens","durationMs"}}: stopped by a cancel after {@code tokens} tokens. */
    public ObjectNode cancelled(GenerationId id, int tokens, long durationMs) {
        return base(id).put("tokens", tokens).put("durationMs", durationMs);
    }

    /** {@code {"generationId","code","message"}}: the generation failed; see {@link GenerationFailure} for codes. */
    public ObjectNode error(GenerationId id, GenerationFailure failure) {
        return base(id).put("code", failure.code()).put("message", failure.message());
    }

    /**
     * {@code {"generationId","status","text","tokens","replaces":{"from","to"}}}: the assembled
     * answer after the terminal event; {@code status} is {@code done}, {@code cancelled} or
     * {@code error}; {@code replaces} is the offset range of this attempt's tokens (null without
     * tokens). Token offsets are not contiguous: other events of the room and partition lie between.
     */
    public ObjectNode message(GenerationId id, String status, String text, int tokens, long firstTokenOffset, long lastTokenOffset) {
        ObjectNode data = base(id).put("status", status).put("text", text).put("tokens", tokens);
        if (tokens > 0 && firstTokenOffset >= 0 && lastTokenOffset >= firstTokenOffset) {
            data.putObject("replaces").put("from", firstTokenOffset).put("to", lastTokenOffset);
        } else {
            data.putNull("replaces");
        }
        return data;
    }

    private ObjectNode base(GenerationId id) {
        return json.createObjectNode().put("generationId", id.value());
    }
}
