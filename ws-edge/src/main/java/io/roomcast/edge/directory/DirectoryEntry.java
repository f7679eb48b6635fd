package io.roomcast.edge.directory;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.room.RoomName;

import java.util.Optional;

/**
 * One known room: its name, who writes into it ({@code edge}, {@code log-shipper web-1:/var/log/api.log},
 * {@code model-producer}, ...) and when that writer last reported activity (ms since the epoch).
 */
public record DirectoryEntry(String room, String source, long lastActivity) {

    /** The entry a directory record holds, or empty for a value of another shape (it is skipped). */
    static Optional<DirectoryEntry> parse(String key, JsonNode value) {
        if (key == null || value == null || !value.isObject() || !RoomName.isValid(key)) {
            return Optional.empty();
        }
        String source = value.path("source").isTextual() ? value.path("source").textValue() : "";
        long last = value.path("lastActivity").canConvertToLong() ? value.path("lastActivity").longValue() : 0;
        return Optional.of(new DirectoryEntry(key, source.length() > 200 ? source.substring(0, 200) : source, last));
    }
}
