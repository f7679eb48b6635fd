package io.roomcast.edge.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.roomcast.edge.auth.TokenSource;
import io.roomcast.edge.presence.Member;
import io.roomcast.edge.presence.Presence;
import io.roomcast.edge.presence.PresenceFrames;
import io.roomcast.event.RoomEvent;
import io.roomcast.position.Epoch;
import io.roomcast.position.Gap;
import io.roomcast.room.BackpressurePolicy;
import io.roomcast.room.RoomName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The edge against protocol/catalogue.json: its error and close codes, gap reasons and policies are the catalogue's,
 * every request op of the catalogue parses (and no other op does), and every frame the edge writes has exactly the
 * catalogue's fields with the catalogue's types.
 */
class ProtocolCatalogueTest {
    private static final Member ALICE = new Member("k3x9q1.2a-f0k", "alice", "Alice", 1764000000000L, true);
    private static final Member ANN = new Member("k3x9q1.3b-x1", null, "Ann", 1764000001000L, false);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CATALOGUE = Path.of("..", "protocol", "catalogue.json").toAbsolutePath().normalize();
    private static final RoomName ROOM = RoomName.of("chat:lobby");

    private final JsonNode catalogue = read();
    private final FrameParser parser = new FrameParser();

    private static JsonNode read() {
        try {
            return JSON.readTree(CATALOGUE.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + CATALOGUE, e);
        }
    }

    @Test
    void shouldKeepTheCataloguesLimits() {
        JsonNode endpoint = catalogue.get("endpoint");
        assertThat(FrameParser.MAX_BATCH).isEqualTo(endpoint.get("maxBatch").asInt());
        assertThat(TokenSource.MAX_TOKEN_LENGTH).isEqualTo(endpoint.get("maxTokenLength").asInt())
                .isEqualTo(catalogue.get("clientToEdge").get("auth").get("fields").get("token").get("maxLength").asInt());
    }

    @Test
    void shouldUseExactlyTheCataloguesErrorCodes() {
        Set<String> edge = Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).collect(Collectors.toSet());
        assertThat(edge).isEqualTo(names(catalogue.get("errorCodes")));
    }

    @Test
    void shouldUseExactlyTheCataloguesCloseCodes() {
        Map<String, String> edge = Arrays.stream(CloseCode.values())
                .collect(Collectors.toMap(c -> Integer.toString(c.code()), c -> c.name().toLowerCase()));
        Map<String, String> documented = new java.util.HashMap<>();
        catalogue.get("closeCodes").fields().forEachRemaining(e -> documented.put(e.getKey(), e.getValue().get("name").asText()));
        assertThat(edge).isEqualTo(documented);
    }

    @Test
    void shouldUseTheCataloguesGapReasonsAndPolicies() {
        Set<String> fromSubscribed = new HashSet<>();
        catalogue.get("gapReasons").fields().forEachRemaining(e -> {
            if (e.getValue().get("source").asText().equals("subscribed")) {
                fromSubscribed.add(e.getKey());
            }
        });
        assertThat(Arrays.stream(Gap.Reason.values()).map(Gap.Reason::wire).collect(Collectors.toSet())).isEqualTo(fromSubscribed);
        Set<String> policies = new HashSet<>();
        catalogue.get("policies").forEach(p -> policies.add(p.asText()));
        assertThat(Arrays.stream(BackpressurePolicy.values()).map(BackpressurePolicy::wire).collect(Collectors.toSet())).isEqualTo(policies);
    }

    @Test
    void shouldParseEveryExampleOfEveryRequestOpInTheCatalogue() {
        catalogue.get("clientToEdge").fields().forEachRemaining(op -> {
            for (JsonNode example : op.getValue().get("examples")) {
                List<ClientFrame> frames = parser.parse(example.toString());
                assertThat(frames).as(example.toString()).hasSize(1);
                assertThat(frames.get(0)).as(example.toString()).isNotInstanceOf(ClientFrame.Invalid.class);
                assertThat(frames.get(0).getClass().getSimpleName().toLowerCase()).isEqualTo(op.getKey());
            }
        });
    }

    @Test
    void shouldRefuseEachRequestWithoutOneOfItsRequiredFields() {
        catalogue.get("clientToEdge").fields().forEachRemaining(op -> {
            JsonNode example = op.getValue().get("examples").get(0);
            op.getValue().get("fields").fields().forEachRemaining(field -> {
                if (field.getValue().path("required").asBoolean()) {
                    var without = example.deepCopy();
                    ((com.fasterxml.jackson.databind.node.ObjectNode) without).remove(field.getKey());
                    assertThat(parser.parse(without.toString()).get(0)).as(without.toString()).isInstanceOf(ClientFrame.Invalid.class);
                }
            });
        });
    }

    @Test
    void shouldRefuseAnOpThatIsNotInTheCatalogue() {
        assertThat(parser.parse("{\"op\":\"subscribed\",\"id\":1,\"room\":\"chat:lobby\"}").get(0)).isInstanceOf(ClientFrame.Invalid.class);
        assertThat(parser.parse("{\"op\":\"presence\",\"id\":1}").get(0)).isInstanceOf(ClientFrame.Invalid.class);
    }

    @Test
    void shouldWriteEveryServerOpWithTheCataloguesFieldsAndTypes() {
        JsonNode id = IntNode.valueOf(7);
        List<ByteBuffer> frames = new ArrayList<>(List.of(
                ServerFrames.subscribed(id, ROOM, new Epoch("E"), null, null),
                ServerFrames.subscribed(TextNode.valueOf("s-1"), ROOM, new Epoch("E"), true, null),
                ServerFrames.subscribed(id, ROOM, new Epoch("E2"), false, new Gap(Gap.Reason.RETENTION, 41, 980)),
                ServerFrames.live(ROOM, 56),
                ServerFrames.live(ROOM, -1),
                ServerFrames.unsubscribed(id, ROOM),
                ServerFrames.ack(id, ROOM, 57, false),
                ServerFrames.ack(id, ROOM, 57, true),
                ServerFrames.pong(id),
                ServerFrames.pong(null),
                ServerFrames.authed(id, 1764003600000L),
                ServerFrames.authed(id, -1),
                ServerFrames.dropped(ROOM, 17, 4211, 4290),
                ServerFrames.reconnect("drain", 2350),
                io.roomcast.edge.snapshot.Snapshots.frame(id, ROOM, new io.roomcast.edge.snapshot.RoomSnapshot(1041,
                        new io.roomcast.position.Epoch("E.3"), new ObjectMapper().createObjectNode().put("n", 1), 1764000000000L),
                        new io.roomcast.position.Epoch("E.3")),
                PresenceFrames.presence(id, ROOM, new Presence.Snapshot(List.of(ALICE, ANN), 2, true)),
                PresenceFrames.count(ROOM, 812),
                PresenceFrames.change(ROOM, ANN, true, 2),
                PresenceFrames.change(ROOM, ANN, false, 1),
                PresenceFrames.sync(ROOM, 1),
                io.roomcast.edge.compact.PartialFrames.encode(ROOM,
                        new io.roomcast.compact.AnswerCompactor.Partial("roomcast.chat:3:1042", 0, 41, 1085, "A partition")),
                EventFrames.encodeFresh(new RoomEvent(ROOM, 42, "message", 1764000000123L, "{\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8), null)),
                EventFrames.encodeFresh(new RoomEvent(ROOM, 43, "token", 1764000000123L, "plain".getBytes(StandardCharsets.UTF_8), "c1-1")),
                EventFrames.encodeFresh(new RoomEvent(ROOM, 44, "message", 1764000000123L, new byte[] {0, 1, 2, (byte) 0xff}, null)),
                EventFrames.encodeFresh(new RoomEvent(ROOM, 45, "message", 1764000000123L, new byte[0], null))));
        for (ErrorCode code : ErrorCode.values()) {
            frames.add(ServerFrames.error(id, ROOM.value(), code, "m"));
            frames.add(ServerFrames.error(null, null, code, "m"));
        }
        Set<String> written = new TreeSet<>();
        for (ByteBuffer frame : frames) {
            JsonNode node = parse(frame);
            String op = node.path("op").asText();
            written.add(op);
            JsonNode spec = catalogue.get("edgeToClient").get(op);
            assertThat(spec).as("op %s of %s is in the catalogue", op, node).isNotNull();
            checkFields(node, spec.get("fields"), node.toString());
        }
        assertThat(written).isEqualTo(new TreeSet<>(names(catalogue.get("edgeToClient"))));
    }

    @Test
    void shouldKeepTheCataloguesOwnServerExamplesValid() {
        catalogue.get("edgeToClient").fields().forEachRemaining(op -> {
            for (JsonNode example : op.getValue().get("examples")) {
                assertThat(example.path("op").asText()).isEqualTo(op.getKey());
                checkFields(example, op.getValue().get("fields"), example.toString());
            }
        });
    }

    private void checkFields(JsonNode frame, JsonNode fields, String where) {
        Iterator<Map.Entry<String, JsonNode>> it = frame.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("op")) {
                continue;
            }
            JsonNode spec = fields.get(f.getKey());
            assertThat(spec).as("field %s of %s is in the catalogue", f.getKey(), where).isNotNull();
            assertThat(hasType(f.getValue(), spec)).as("field %s of %s is a %s", f.getKey(), where, spec.get("type")).isTrue();
        }
        fields.fields().forEachRemaining(f -> {
            if (f.getValue().path("required").asBoolean()) {
                assertThat(frame.has(f.getKey())).as("required field %s in %s", f.getKey(), where).isTrue();
            }
        });
    }

    private boolean hasType(JsonNode value, JsonNode spec) {
        if (value.isNull() && spec.path("nullable").asBoolean()) {
            return true;
        }
        if (spec.has("enum")) {
            boolean listed = false;
            for (JsonNode allowed : spec.get("enum")) {
                listed |= allowed.equals(value);
            }
            if (!listed) {
                return false;
            }
        }
        return switch (spec.get("type").asText()) {
            case "id" -> value.isIntegralNumber() || (value.isTextual() && value.textValue().length() <= 64);
            case "room" -> value.isTextual() && RoomName.isValid(value.textValue());
            case "offset" -> value.isIntegralNumber() && value.longValue() >= -1;
            case "integer", "timeMs" -> value.isIntegralNumber();
            case "string", "epoch" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "json" -> true;
            case "errorCode" -> value.isTextual() && catalogue.get("errorCodes").has(value.textValue());
            case "gapReason" -> value.isTextual() && catalogue.get("gapReasons").has(value.textValue());
            case "array" -> {
                boolean all = value.isArray();
                for (JsonNode item : value) {
                    all &= hasType(item, spec.get("items"));
                }
                yield all;
            }
            case "object" -> {
                if (!value.isObject()) {
                    yield false;
                }
                checkFields(value, spec.get("fields"), value.toString());
                yield true;
            }
            default -> throw new AssertionError("unknown type in the catalogue: " + spec.get("type"));
        };
    }

    private static JsonNode parse(ByteBuffer frame) {
        ByteBuffer b = frame.duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(bytes, StandardCharsets.UTF_8), e);
        }
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new HashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
