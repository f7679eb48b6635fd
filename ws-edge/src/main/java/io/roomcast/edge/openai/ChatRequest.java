package io.roomcast.edge.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomcast.room.RoomName;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A {@code POST /v1/chat/completions} body, validated, and the {@code prompt} room event it
 * becomes: {@code {"text": <the last user message>, "model": ..., "params": {...}}} (see
 * docs/model-producer.md). Earlier messages are not sent on: the model producer takes the
 * conversation from the room's own log, so a named room is a conversation.
 *
 * @param room the room named by the {@code X-Roomcast-Room} header or the {@code room} field; null for a fresh room
 */
record ChatRequest(String model, String text, ObjectNode params, boolean stream, boolean includeUsage, RoomName room) {
    /** A body is one JSON value: anything but whitespace behind it is malformed JSON, not ignored. */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final List<String> ROLES = List.of("system", "developer", "user", "assistant", "tool", "function");

    /** @throws OpenAiError 400 with OpenAI's wording for anything malformed */
    static ChatRequest parse(byte[] body, String roomHeader) throws OpenAiError {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new OpenAiError(400, "invalid_request_error", "invalid_json", null,
                    "We could not parse the JSON body of your request: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new OpenAiError(400, "invalid_request_error", "invalid_json", null, "We could not parse the JSON body of your request.");
        }
        if (root == null || !root.isObject()) {
            throw new OpenAiError(400, "invalid_request_error", "invalid_json", null, "The request body must be a JSON object.");
        }
        JsonNode model = root.get("model");
        if (model == null || model.isNull()) {
            throw OpenAiError.invalid("model", "Missing required parameter: 'model'.");
        }
        if (!model.isTextual() || model.asText().isBlank() || model.asText().length() > 256) {
            throw OpenAiError.invalid("model", "Invalid type for 'model': expected a non-empty string.");
        }
        String text = lastUserText(root.get("messages"));
        boolean stream = bool(root, "stream");
        JsonNode options = root.get("stream_options");
        boolean includeUsage = options != null && options.isObject() && bool(options, "include_usage");
        JsonNode n = root.get("n");
        if (n != null && !n.isNull() && !(n.canConvertToInt() && n.asInt() == 1)) {
            throw OpenAiError.invalid("n", "Only n=1 is supported: one answer per prompt.");
        }
        ObjectNode params = JSON.createObjectNode();
        copy(root, "temperature", params, "temperature");
        copy(root, "top_p", params, "top_p");
        copy(root, "seed", params, "seed");
        copy(root, "stop", params, "stop");
        copy(root, "max_tokens", params, "max_tokens");
        copy(root, "max_completion_tokens", params, "max_tokens");
        return new ChatRequest(model.asText(), text, params, stream, includeUsage, room(roomHeader, root.get("room")));
    }

    /** The prompt event's data. */
    byte[] promptData() {
        ObjectNode data = JSON.createObjectNode();
        data.put("text", text);
        data.put("model", model);
        if (!params.isEmpty()) {
            data.set("params", params);
        }
        return data.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String lastUserText(JsonNode messages) throws OpenAiError {
        if (messages == null || messages.isNull()) {
            throw OpenAiError.invalid("messages", "Missing required parameter: 'messages'.");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw OpenAiError.invalid("messages", "Invalid 'messages': expected a non-empty array of messages.");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            if (!m.isObject() || !m.path("role").isTextual() || !ROLES.contains(m.path("role").asText())) {
                throw OpenAiError.invalid("messages[" + i + "].role", "Invalid 'messages[" + i + "]': each message needs a role of "
                        + String.join(", ", ROLES) + ".");
            }
        }
        JsonNode last = messages.get(messages.size() - 1);
        if (!last.path("role").asText().equals("user")) {
            throw OpenAiError.invalid("messages", "The last message must have the role 'user': it is the prompt.");
        }
        JsonNode content = last.get("content");
        StringBuilder text = new StringBuilder();
        if (content != null && content.isTextual()) {
            text.append(content.asText());
        } else if (content != null && content.isArray()) {
            for (JsonNode part : content) {
                if (part.path("type").asText().equals("text") && part.path("text").isTextual()) {
                    text.append(text.length() == 0 ? "" : "\n").append(part.path("text").asText());
                }
            }
        }
        if (text.toString().isBlank()) {
            throw OpenAiError.invalid("messages[" + (messages.size() - 1) + "].content", "The last user message has no text content.");
        }
        return text.toString();
    }

    private static RoomName room(String header, JsonNode field) throws OpenAiError {
        String name = header != null ? header : field != null && field.isTextual() ? field.asText() : null;
        if (field != null && !field.isNull() && !field.isTextual() && header == null) {
            throw OpenAiError.invalid("room", "Invalid type for 'room': expected a room name.");
        }
        if (name == null) {
            return null;
        }
        if (!RoomName.isValid(name)) {
            throw OpenAiError.invalid("room", "Invalid room name: 1-" + RoomName.MAX_LENGTH + " characters of [A-Za-z0-9._:@/-].");
        }
        return RoomName.of(name);
    }

    private static boolean bool(JsonNode node, String field) throws OpenAiError {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw OpenAiError.invalid(field, "Invalid type for '" + field + "': expected a boolean.");
        }
        return v.asBoolean();
    }

    private static void copy(JsonNode from, String field, ObjectNode to, String as) {
        JsonNode v = from.get(field);
        if (v != null && !v.isNull()) {
            to.set(as, v);
        }
    }
}
