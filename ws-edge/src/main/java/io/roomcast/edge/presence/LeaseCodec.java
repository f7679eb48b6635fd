package io.roomcast.edge.presence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomcast.room.RoomName;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The record layout of the presence topic: key {@code "<room> <client>"} (a room name has no
 * space), value {@code {"room","client","user","name","since","verified","ttlMs"}}, a null value
 * (tombstone) for a clean leave. The TTL travels with the lease, so edges with different settings
 * agree on when it expires. Thread-safe.
 */
final class LeaseCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A decoded presence record; {@code member} is null for a tombstone. */
    record Lease(RoomName room, String client, Member member, long ttlMs) {
    }

    private LeaseCodec() {
    }

    static byte[] value(RoomName room, Member m, Duration ttl) {
        ObjectNode v = JSON.createObjectNode().put("room", room.value()).put("client", m.client()).put("user", m.user())
                .put("name", m.name()).put("since", m.since()).put("verified", m.verified()).put("ttlMs", ttl.toMillis());
        try {
            return JSON.writeValueAsBytes(v);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The lease of a record, or empty for a record no edge wrote (logged by the caller, then ignored). */
    static Optional<Lease> decode(byte[] key, byte[] value) {
        if (key == null) {
            return Optional.empty();
        }
        String k = new String(key, StandardCharsets.UTF_8);
        int space = k.indexOf(' ');
        if (space <= 0 || space == k.length() - 1 || !RoomName.isValid(k.substring(0, space))) {
            return Optional.empty();
        }
        RoomName room = RoomName.of(k.substring(0, space));
        String client = k.substring(space + 1);
        if (value == null) {
            return Optional.of(new Lease(room, client, null, 0));
        }
        try {
            JsonNode v = JSON.readTree(value);
            JsonNode ttlMs = v.path("ttlMs");
            long ttl = ttlMs.isIntegralNumber() && ttlMs.canConvertToLong() ? ttlMs.asLong() : 0;
            if (!v.isObject() || ttl <= 0 || ttl > PresenceConfig.MAX_TTL.toMillis() || !client.equals(v.path("client").asText())) {
                return Optional.empty();
            }
            String user = v.path("user").isTextual() ? v.path("user").textValue() : null;
            String name = v.path("name").isTextual() ? v.path("name").textValue() : user;
            return Optional.of(new Lease(room, client, new Member(client, user, name, v.path("since").asLong(), v.path("verified").asBoolean()), ttl));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
