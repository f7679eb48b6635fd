package io.roomcast.edge.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomcast.position.Epoch;
import io.roomcast.room.RoomName;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A completion's {@code id}: {@code chatcmpl-} and the base64url of
 * {@code {"r":room,"e":epoch,"p":promptOffset,"m":model}}, so that any edge can find the answer
 * again from the id alone — the prompt's place in the room's log.
 */
record CompletionId(RoomName room, Epoch epoch, long promptOffset, String model) {
    private static final String PREFIX = "chatcmpl-";
    private static final ObjectMapper JSON = new ObjectMapper();

    String value() {
        ObjectNode n = JSON.createObjectNode();
        n.put("r", room.value());
        n.put("e", epoch.value());
        n.put("p", promptOffset);
        n.put("m", model);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(n.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when {@code id} is not one of ours */
    static CompletionId parse(String id) {
        if (id == null || !id.startsWith(PREFIX) || id.length() > 2048) {
            throw new IllegalArgumentException("not a completion id of this service: " + clip(id));
        }
        try {
            JsonNode n = JSON.readTree(Base64.getUrlDecoder().decode(id.substring(PREFIX.length())));
            if (n == null || !n.path("r").isTextual() || !n.path("e").isTextual() || !n.path("p").canConvertToLong()
                    || !RoomName.isValid(n.path("r").asText())) {
                throw new IllegalArgumentException("not a completion id of this service: " + clip(id));
            }
            return new CompletionId(RoomName.of(n.path("r").asText()), new Epoch(n.path("e").asText()), n.path("p").asLong(),
                    n.path("m").asText("unknown"));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a completion id of this service: " + clip(id));
        }
    }

    private static String clip(String s) {
        return s == null ? "null" : s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
