package io.roomcast.edge.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.roomcast.edge.publish.PublisherScope;
import io.roomcast.edge.publish.ReservedTypes;
import io.roomcast.event.RecordLayout;
import io.roomcast.event.RoomEvent;
import io.roomcast.position.Epoch;
import io.roomcast.position.StartPoint;
import io.roomcast.room.BackpressurePolicy;
import io.roomcast.room.RoomName;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a client's text frame into requests: one JSON object, or an array of them (a batch).
 * Never throws on input: anything malformed becomes a {@link ClientFrame.Invalid} that names
 * what is wrong. Stateless and thread-safe.
 */
public final class FrameParser {
    public static final int MAX_BATCH = 100;
    /** The protocol's one JSON nesting limit, for client frames and the edge's frames (see {@link EventFrames#MAX_VALUE_DEPTH}). */
    public static final int MAX_DEPTH = 64;
    private static final int MAX_ID_LENGTH = 64;
    /** Generous bound at parse time; the edge's presence setting is the real limit. */
    private static final int MAX_NAME_LENGTH = 1_000;

    /**
     * Published numbers keep their value: as doubles, 1e400 would be written back as "Infinity" and long decimals rounded.
     * A character outside the BMP (an emoji) is written as its four UTF-8 bytes, not as two 6-byte escapes: the payload
     * limit counts the bytes a client sent, and the stored event is what it sent (a lone surrogate stays escaped).
     */
    private final ObjectMapper mapper = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // One message is one JSON value: a second one behind it would be ignored, its request never answered.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    public List<ClientFrame> parse(String text) {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (StreamConstraintsException e) {
            return List.of(invalid(null, null, "frame is not valid JSON: " + e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            return List.of(invalid(null, null, "frame is not valid JSON"));
        }
        if (root == null || root.isMissingNode()) {
            return List.of(invalid(null, null, "frame is empty"));
        }
        if (root.isArray()) {
            if (root.isEmpty()) {
                return List.of(invalid(null, null, "batch is empty: send at least one request"));
            }
            if (root.size() > MAX_BATCH) {
                return List.of(invalid(null, null, "batch has " + root.size() + " requests; the limit is " + MAX_BATCH));
            }
            List<ClientFrame> frames = new ArrayList<>(root.size());
            root.forEach(node -> frames.add(parseOne(node)));
            return frames;
        }
        return List.of(parseOne(root));
    }

    private ClientFrame parseOne(JsonNode node) {
        if (!node.isObject()) {
            return invalid(null, null, "a request must be a JSON object");
        }
        // "id":null is no id, as null is for every optional field: kept as a JSON null, its answers would name the
        // room without an id, which is how a notice (a subscription ended) looks.
        JsonNode id = node.get("id") == null || node.get("id").isNull() ? null : node.get("id");
        if (id != null && !(safeInteger(id) || (id.isTextual() && id.textValue().length() <= MAX_ID_LENGTH))) {
            return invalid(null, null, "id must be an integer of at most 2^53-1 in size or a string of at most "
                    + MAX_ID_LENGTH + " characters");
        }
        JsonNode op = node.get("op");
        if (op == null || !op.isTextual()) {
            return invalid(id, null, "missing op");
        }
        return switch (op.textValue()) {
            case "subscribe" -> subscribe(id, node);
            case "unsubscribe" -> withRoom(id, node, room -> new ClientFrame.Unsubscribe(id, room));
            // without an id its answer would have the shape of the presence notice that replaces a client's member list
            case "presence" -> id == null ? invalid(null, null, "presence needs an id")
                    : withRoom(id, node, room -> new ClientFrame.Presence(id, room));
            case "publish" -> publish(id, node);
            case "ping" -> new ClientFrame.Ping(id);
            case "auth" -> {
                // A token over the length limit is a refused token (unauthorized, malformed), as in the URL or a header:
                // the authenticator says so; only a frame without a token in it is a bad request.
                JsonNode token = node.get("token");
                yield token != null && token.isTextual() && !token.textValue().isEmpty()
                        ? new ClientFrame.Auth(id, token.textValue())
                        : invalid(id, null, "auth needs a token: a non-empty string");
            }
            default -> invalid(id, null, "unknown op \"" + abbreviate(op.textValue()) + "\"");
        };
    }

    private ClientFrame subscribe(JsonNode id, JsonNode node) {
        return withRoom(id, node, room -> {
            StartPoint start;
            try {
                start = startPoint(node.get("from"));
            } catch (IllegalArgumentException e) {
                return invalid(id, room.value(), "invalid from: " + e.getMessage());
            }
            JsonNode policy = node.get("policy");
            try {
                BackpressurePolicy chosen = null;
                if (policy != null && !policy.isNull()) {
                    if (!policy.isTextual()) {
                        throw new IllegalArgumentException("policy must be a string");
                    }
                    chosen = BackpressurePolicy.fromWire(policy.textValue());
                }
                JsonNode name = node.get("name");
                if (name != null && !name.isNull() && (!name.isTextual() || name.textValue().length() > MAX_NAME_LENGTH)) {
                    throw new IllegalArgumentException("name must be a string of at most " + MAX_NAME_LENGTH + " characters");
                }
                boolean snapshot = node.path("from").isTextual() && node.path("from").textValue().equals("snapshot");
                return new ClientFrame.Subscribe(id, room, snapshot ? StartPoint.EARLIEST : start, chosen, flag(node, "presence"),
                        flag(node, "ephemeral"), flag(node, "compact"), name == null || name.isNull() ? null : name.textValue(), snapshot);
            } catch (IllegalArgumentException e) {
                return invalid(id, room.value(), e.getMessage());
            }
        });
    }

    private ClientFrame publish(JsonNode id, JsonNode node) {
        return withRoom(id, node, room -> {
            JsonNode type = node.get("type");
            String typeName = RoomEvent.DEFAULT_TYPE;
            if (type != null && !type.isNull()) {
                if (!type.isTextual() || !RecordLayout.isValidType(type.textValue())) {
                    return invalid(id, room.value(), "type must be 1-64 characters of A-Z a-z 0-9 . _ : -");
                }
                typeName = type.textValue();
            }
            if (!node.has("data")) {
                return invalid(id, room.value(), "publish needs data");
            }
            JsonNode eventId = node.get("eventId");
            String eventIdValue = null;
            if (eventId != null && !eventId.isNull()) {
                if (!eventId.isTextual() || !RecordLayout.isValidEventId(eventId.textValue())) {
                    return invalid(id, room.value(), "eventId must be 1-128 printable ASCII characters");
                }
                eventIdValue = eventId.textValue();
            }
            JsonNode retry = node.get("retry");
            if (retry != null && !retry.isNull() && !retry.isBoolean()) {
                return invalid(id, room.value(), "retry must be true or false");
            }
            if (retry != null && retry.asBoolean() && eventIdValue == null) {
                return invalid(id, room.value(), "retry needs an eventId");
            }
            boolean ephemeral;
            try {
                ephemeral = flag(node, "ephemeral");
            } catch (IllegalArgumentException e) {
                return invalid(id, room.value(), e.getMessage());
            }
            if (ephemeral && eventIdValue != null) {
                return invalid(id, room.value(), "an ephemeral publish takes no eventId: it is never stored");
            }
            if (ephemeral && ReservedTypes.isReserved(typeName)) {
                // a forged token or answer must reach nobody, not even live: reserved types are never signals
                return new ClientFrame.Invalid(id, room.value(), ErrorCode.FORBIDDEN,
                        "events of type " + typeName + " cannot be ephemeral signals");
            }
            JsonNode publisherKey = node.get("publisherKey");
            if (publisherKey != null && !publisherKey.isNull()
                    && (!publisherKey.isTextual() || !PublisherScope.isValidKey(publisherKey.textValue()))) {
                return invalid(id, room.value(), "publisherKey must be 16-128 printable ASCII characters");
            }
            try {
                return new ClientFrame.Publish(id, room, typeName, mapper.writeValueAsBytes(node.get("data")), eventIdValue,
                        retry != null && retry.asBoolean(), ephemeral,
                        publisherKey == null || publisherKey.isNull() ? null : publisherKey.textValue());
            } catch (JsonProcessingException e) {
                return invalid(id, room.value(), "data cannot be encoded");
            }
        });
    }

    /** An optional boolean field: absent or null is false, anything but a boolean is refused. */
    private static boolean flag(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(field + " must be true or false");
        }
        return v.booleanValue();
    }

    private static StartPoint startPoint(JsonNode from) {
        if (from == null || from.isNull()) {
            return StartPoint.LATEST;
        }
        if (from.isTextual()) {
            return switch (from.textValue()) {
                case "latest" -> StartPoint.LATEST;
                case "earliest" -> StartPoint.EARLIEST;
                case "snapshot" -> StartPoint.EARLIEST; // the fallback when the room has no snapshot
                default -> throw new IllegalArgumentException("expected \"latest\", \"earliest\", \"snapshot\" or an object");
            };
        }
        if (!from.isObject() || from.size() == 0) {
            throw new IllegalArgumentException("expected \"latest\", \"earliest\" or an object");
        }
        // a null field is absent here too
        if ((from.hasNonNull("after") ? 1 : 0) + (from.hasNonNull("last") ? 1 : 0) + (from.hasNonNull("time") ? 1 : 0) > 1) {
            throw new IllegalArgumentException("name one start: after, last or time, not several");
        }
        if (from.hasNonNull("after")) {
            JsonNode after = from.get("after");
            JsonNode epoch = from.get("epoch");
            if (!after.canConvertToLong() || !after.isIntegralNumber()) {
                throw new IllegalArgumentException("after must be an integer offset");
            }
            if (epoch == null || !epoch.isTextual()) {
                throw new IllegalArgumentException("after needs the epoch it belongs to");
            }
            return new StartPoint.After(after.longValue(), new Epoch(epoch.textValue()));
        }
        if (from.hasNonNull("last")) {
            JsonNode last = from.get("last");
            if (!last.isIntegralNumber() || !last.canConvertToInt()) {
                throw new IllegalArgumentException("last must be an integer");
            }
            return new StartPoint.Last(last.intValue());
        }
        if (from.hasNonNull("time")) {
            JsonNode time = from.get("time");
            if (!time.isIntegralNumber() || !time.canConvertToLong()) {
                throw new IllegalArgumentException("time must be an integer (ms since the epoch)");
            }
            return new StartPoint.Time(time.longValue());
        }
        throw new IllegalArgumentException("expected one of after, last, time");
    }

    private ClientFrame withRoom(JsonNode id, JsonNode node, java.util.function.Function<RoomName, ClientFrame> then) {
        JsonNode room = node.get("room");
        if (room == null || !room.isTextual()) {
            return invalid(id, null, "missing room");
        }
        if (!RoomName.isValid(room.textValue())) {
            return invalid(id, abbreviate(room.textValue()),
                    "invalid room name: use 1-" + RoomName.MAX_LENGTH + " characters of A-Z a-z 0-9 . _ : @ / -");
        }
        return then.apply(RoomName.of(room.textValue()));
    }

    /** An integer every client represents exactly (JavaScript's safe integers): bounded ids echo back unchanged. */
    private static boolean safeInteger(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToLong() && Math.abs(n.longValue()) <= StartPoint.MAX_POSITION;
    }

    private static ClientFrame.Invalid invalid(JsonNode id, String room, String message) {
        return new ClientFrame.Invalid(id, room, ErrorCode.BAD_REQUEST, message);
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
