package io.roomcast.producer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.producer.backend.SamplingParams;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates the data of {@code prompt} and {@code cancel} events, which any client may publish.
 * A prompt's data is {@code {"text": "...", "model": "...", "params": {...}}} or just a JSON
 * string (the text). Params understood: {@code temperature} (0–2), {@code topP}/{@code top_p}
 * (0–1), {@code maxTokens}/{@code max_tokens} (1–the producer's cap), {@code seed},
 * {@code stop} (a string or up to 4 strings); others are ignored. Thread-safe.
 */
public final class PromptParser {
    private static final int MAX_STOP_SEQUENCES = 4;
    private static final int MAX_STOP_CHARS = 64;

    private final ObjectMapper json;
    private final int maxPromptChars;
    private final int maxAnswerTokens;

    public PromptParser(ObjectMapper json, int maxPromptChars, int maxAnswerTokens) {
        this.json = json;
        this.maxPromptChars = maxPromptChars;
        this.maxAnswerTokens = maxAnswerTokens;
    }

    public Prompt prompt(byte[] value) throws InvalidEventException {
        // UTF-8 never takes more than 4 bytes a character, and JSON escaping at most 6 + structure:
        // a value this large cannot hold an acceptable prompt, so it is refused before parsing
        if (value != null && value.length > maxPromptChars * 6L + 64 * 1024) {
            throw new InvalidEventException(GenerationFailure.TOO_LARGE, "prompt longer than " + maxPromptChars + " characters");
        }
        JsonNode data = parse(value, "prompt");
        JsonNode text = data.isTextual() ? data : data.path("text");
        if (!text.isTextual() || text.asText().isBlank()) {
            throw new InvalidEventException(GenerationFailure.BAD_REQUEST, "prompt needs a non-empty \"text\"");
        }
        if (text.asText().length() > maxPromptChars) {
            throw new InvalidEventException(GenerationFailure.TOO_LARGE, "prompt longer than " + maxPromptChars + " characters");
        }
        JsonNode model = data.path("model");
        if (!model.isMissingNode() && !model.isNull() && !(model.isTextual() && !model.asText().isBlank())) {
            throw new InvalidEventException(GenerationFailure.BAD_REQUEST, "\"model\" must be a non-empty string");
        }
        return new Prompt(text.asText(), model.isTextual() ? model.asText() : null, params(data.path("params")));
    }

    /** The target of a cancel: a generation id, or the prompt's offset. */
    public CancelTarget cancel(byte[] value) throws InvalidEventException {
        JsonNode data = parse(value, "cancel");
        JsonNode id = data.path("generationId");
        if (id.isTextual()) {
            return GenerationId.parse(id.asText()).map(CancelTarget::of)
                    .orElseThrow(() -> new InvalidEventException(GenerationFailure.BAD_REQUEST, "invalid generationId"));
        }
        JsonNode offset = data.path("promptOffset");
        if (offset.canConvertToLong() && offset.isIntegralNumber() && offset.asLong() >= 0) {
            return CancelTarget.ofOffset(offset.asLong());
        }
        throw new InvalidEventException(GenerationFailure.BAD_REQUEST, "cancel needs \"generationId\" or \"promptOffset\"");
    }

    private JsonNode parse(byte[] value, String what) throws InvalidEventException {
        if (value == null || value.length == 0) {
            throw new InvalidEventException(GenerationFailure.BAD_REQUEST, what + " has no data");
        }
        try {
            JsonNode data = json.readTree(value);
            if (data == null || !(data.isObject() || data.isTextual())) {
                throw new InvalidEventException(GenerationFailure.BAD_REQUEST, what + " data must be a JSON object");
            }
            return data;
        } catch (IOException e) {
            throw new InvalidEventException(GenerationFailure.BAD_REQUEST, what + " data is not valid JSON");
        }
    }

    private SamplingParams params(JsonNode params) throws InvalidEventException {
        if (params.isMissingNode() || params.isNull()) {
            return SamplingParams.defaults();
        }
        if (!params.isObject()) {
            throw new InvalidEventException(GenerationFailure.BAD_REQUEST, "\"params\" must be an object");
        }
        Double temperature = number(params, "temperature", null, 0, 2);
        Double topP = number(params, "topP", "top_p", 0, 1);
        Double maxTokens = number(params, "maxTokens", "max_tokens", 1, maxAnswerTokens);
        JsonNode seed = params.path("seed");
        if (!seed.isMissingNode() && !seed.isNull() && !(seed.isIntegralNumber() && seed.canConvertToLong())) {
            throw new InvalidEventException(GenerationFailure.BAD_REQUEST, "\"seed\" must be an integer");
        }
        return new SamplingParams(temperature, topP, maxTokens == null ? null : maxTokens.intValue(),
                seed.isIntegralNumber() ? seed.asLong() : null, stop(params.path("stop")));
    }

    private static Double number(JsonNode params, String name, String alias, double min, double max) throws InvalidEventException {
        JsonNode node = params.path(name);
        if (node.isMissingNode() && alias != null) {
            node = params.path(alias);
        }
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isNumber() || node.asDouble() < min || node.asDouble() > max || Double.isNaN(node.asDouble())) {
            throw new InvalidEventException(GenerationFailure.BAD_REQUEST, "\"" + name + "\" must be a number from " + fmt(min) + " to " + fmt(max));
        }
        return node.asDouble();
    }

    private static List<String> stop(JsonNode stop) throws InvalidEventException {
        List<String> result = new ArrayList<>();
        if (stop.isMissingNode() || stop.isNull()) {
            return result;
        }
        if (stop.isTextual()) {
            result.add(stop.asText());
        } else if (stop.isArray() && stop.size() <= MAX_STOP_SEQUENCES) {
            for (JsonNode item : stop) {
                if (!item.isTextual()) {
                    throw new InvalidEventException(GenerationFailure.BAD_REQUEST, "\"stop\" must hold strings");
                }
                result.add(item.asText());
            }
        } else {
            throw new InvalidEventException(GenerationFailure.BAD_REQUEST, "\"stop\" must be a string or up to " + MAX_STOP_SEQUENCES + " strings");
        }
        for (String sequence : result) {
            if (sequence.isEmpty() || sequence.length() > MAX_STOP_CHARS) {
                throw new InvalidEventException(GenerationFailure.BAD_REQUEST, "stop sequences have 1 to " + MAX_STOP_CHARS + " characters");
            }
        }
        return result;
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
