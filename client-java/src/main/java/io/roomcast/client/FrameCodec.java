package io.roomcast.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomcast.client.InboundFrame.AckFrame;
import io.roomcast.client.InboundFrame.ErrorFrame;
import io.roomcast.client.InboundFrame.EventFrame;
import io.roomcast.client.InboundFrame.GapInfo;
import io.roomcast.client.InboundFrame.LiveFrame;
import io.roomcast.client.InboundFrame.PongFrame;
import io.roomcast.client.InboundFrame.ReconnectFrame;
import io.roomcast.client.InboundFrame.SubscribedFrame;
import io.roomcast.client.InboundFrame.UnsubscribedFrame;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads edge frames and writes client frames of {@code docs/protocol.md}. A text frame is one JSON object or a JSON
 * array of them (a batch); each object of a batch is read on its own, so one bad object costs only itself. Bad input
 * never throws: it becomes a problem in the {@link Parsed} result. Unknown fields are ignored and unknown ops are
 * reported and skipped, so a newer edge does not break an older client. Thread-safe.
 */
final class FrameCodec {

    /** The frames read from one text frame and a description of every object that could not be read. */
    record Parsed(List<InboundFrame> frames, List<String> problems) {
        Parsed {
            frames = List.copyOf(frames);
            problems = List.copyOf(problems);
        }
    }

    private static final int MAX_PROBLEM_CHARS = 200;
    private static final String RETRY_MARK = "\"retry\":true,";
    /** How many bytes {@link #markedRetry} adds to a frame. */
    static final int RETRY_MARK_BYTES = RETRY_MARK.length();

    private final ObjectMapper mapper;
    private final ObjectReader reader;

    /** A random secret chosen once per client: its dedupe scope as an anonymous publisher. */
    private final String publisherKey = newPublisherKey();

    private static String newPublisherKey() {
        byte[] bytes = new byte[16];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    FrameCodec(ObjectMapper mapper) {
        this.mapper = mapper;
        this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    Parsed parse(String text) {
        JsonNode root;
        try {
            root = reader.readTree(text);
        } catch (JsonProcessingException e) {
            return new Parsed(List.of(), List.of("frame is not valid JSON: " + shorten(e.getOriginalMessage())));
        } catch (RuntimeException e) {
            return new Parsed(List.of(), List.of("frame is not valid JSON: " + shorten(String.valueOf(e.getMessage()))));
        }
        List<InboundFrame> frames = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (root == null || root.isMissingNode()) {
            problems.add("frame is empty");
        } else if (root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                readOne(root.get(i), frames, problems, "batch[" + i + "]: ");
            }
        } else {
            readOne(root, frames, problems, "");
        }
        return new Parsed(frames, problems);
    }

    private void readOne(JsonNode node, List<InboundFrame> frames, List<String> problems, String where) {
        try {
            InboundFrame frame = read(node);
            if (frame != null) {
                frames.add(frame);
            } else {
                problems.add(where + "unknown op '" + shorten(node.get("op").asText()) + "' ignored");
            }
        } catch (BadFrame e) {
            problems.add(where + e.getMessage());
        }
    }

    /** One frame object, or null for a well-formed frame with an op this client does not know. */
    private InboundFrame read(JsonNode node) {
        if (!node.isObject()) {
            throw new BadFrame("frame must be a JSON object, not " + node.getNodeType().name().toLowerCase());
        }
        JsonNode op = node.get("op");
        if (op == null || !op.isTextual()) {
            throw new BadFrame("frame has no string 'op'");
        }
        Fields f = new Fields(op.asText(), node);
        return switch (op.asText()) {
            case "subscribed" -> new SubscribedFrame(f.id(), f.text("room"), f.text("epoch"),
                    f.optionalBoolean("recovered"), gap(f, node.get("gap")));
            case "event" -> Boolean.TRUE.equals(f.optionalBoolean("ephemeral"))
                    ? new InboundFrame.EphemeralFrame(new EphemeralEvent(f.text("room"), f.optionalText("type", "message"),
                            f.optionalLong("ts", 0), data(node.get("data")), f.optionalText("client", null)))
                    : new EventFrame(new RoomEvent(f.text("room"), f.offset("offset"),
                    f.optionalText("type", "message"), f.optionalLong("ts", 0), data(node.get("data")),
                    f.optionalText("eventId", null), f.optionalText("encoding", null)));
            case "live" -> new LiveFrame(f.text("room"), f.offset("offset"));
            case "unsubscribed" -> new UnsubscribedFrame(f.id(), f.optionalText("room", null));
            case "ack" -> Boolean.TRUE.equals(f.optionalBoolean("ephemeral"))
                    ? new AckFrame(f.id(), f.optionalText("room", null), -1, true) // a signal is never stored
                    : new AckFrame(f.id(), f.optionalText("room", null), f.offset("offset"), false);
            case "partial" -> partial(f);
            case "snapshot" -> new InboundFrame.SnapshotFrame(f.id(), new Snapshot(f.text("room"), f.offset("offset"),
                    f.text("epoch"), f.optionalLong("ts", 0), data(node.get("data"))));
            case "join", "leave" -> new InboundFrame.MembershipFrame(f.text("room"), op.asText().equals("join"),
                    member(f, node.get("member")), f.count("count"));
            case "sync" -> new InboundFrame.SyncFrame(f.text("room"), f.count("count"));
            case "presence" -> new InboundFrame.PresenceFrame(f.id(), f.text("room"), members(f, node.get("members")),
                    f.count("count"));
            case "pong" -> new PongFrame(f.id());
            case "error" -> new ErrorFrame(f.id(), f.optionalText("room", null), f.text("code"),
                    f.optionalText("message", ""));
            case "dropped" -> new InboundFrame.DroppedFrame(f.text("room"), f.optionalLong("count", 0),
                    f.offset("first"), f.offset("last"));
            case "authed" -> new InboundFrame.AuthedFrame(f.id(), f.optionalLongOrNull("expiresAt"));
            case "reconnect" -> new ReconnectFrame(f.optionalText("reason", ""),
                    Math.max(0, f.optionalLong("delayMs", 0)));
            default -> null;
        };
    }

    private static InboundFrame.PartialFrame partial(Fields f) {
        long fromSeq = f.count("fromSeq");
        long toSeq = f.count("toSeq");
        if (toSeq < fromSeq) {
            throw new BadFrame("op 'partial': toSeq " + toSeq + " is below fromSeq " + fromSeq);
        }
        return new InboundFrame.PartialFrame(new PartialAnswer(f.text("room"), f.text("generationId"), fromSeq, toSeq,
                f.offset("offset"), f.text("text")));
    }

    private static Member member(Fields parent, JsonNode member) {
        if (member == null || !member.isObject()) {
            throw new BadFrame("op '" + parent.op + "': field 'member' must be an object");
        }
        Fields m = new Fields(parent.op + ".member", member);
        return new Member(m.text("client"), m.optionalText("user", null), m.optionalText("name", null),
                m.optionalLong("since", 0), Boolean.TRUE.equals(m.optionalBoolean("verified")));
    }

    private static List<Member> members(Fields parent, JsonNode members) {
        if (members == null || members.isNull()) {
            return null;
        }
        if (!members.isArray()) {
            throw new BadFrame("op '" + parent.op + "': field 'members' must be an array");
        }
        List<Member> out = new ArrayList<>(members.size());
        members.forEach(m -> out.add(member(parent, m)));
        return out;
    }

    private static GapInfo gap(Fields parent, JsonNode gap) {
        if (gap == null || gap.isNull()) {
            return null;
        }
        if (!gap.isObject()) {
            throw new BadFrame("op '" + parent.op + "': field 'gap' must be an object");
        }
        Fields g = new Fields(parent.op + ".gap", gap);
        return new GapInfo(g.optionalText("reason", "unknown"), g.optionalLong("after", -1),
                g.optionalLong("resumeAt", -1));
    }

    private static JsonNode data(JsonNode data) {
        return data == null ? NullNode.getInstance() : data;
    }

    String subscribe(long id, String room, From from) {
        return subscribe(id, room, from, (DeliveryPolicy) null);
    }

    /** A subscribe; {@code policy} null leaves the namespace's backpressure policy. */
    String subscribe(long id, String room, From from, DeliveryPolicy policy) {
        return subscribe(id, room, from, SubscribeOptions.from(from).withPolicy(policy));
    }

    /** A subscribe with the options' flags; {@code from} is the cursor's (a resume's {@code after}), not the options'. */
    String subscribe(long id, String room, From from, SubscribeOptions options) {
        ObjectNode o = request("subscribe", id).put("room", room);
        if (options.policy() != null) {
            o.put("policy", options.policy().wireName());
        }
        if (options.presence()) {
            o.put("presence", true);
            if (options.name() != null) {
                o.put("name", options.name());
            }
        }
        if (options.ephemeral()) {
            o.put("ephemeral", true);
        }
        if (options.compact()) {
            o.put("compact", true);
        }
        if (from instanceof From.Snapshot) {
            o.put("from", "snapshot");
        }
        // Java 17 has no pattern matching for switch; "latest" is sent as an absent from
        if (from instanceof From.Earliest) {
            o.put("from", "earliest");
        } else if (from instanceof From.After after) {
            o.putObject("from").put("after", after.offset()).put("epoch", after.epoch());
        } else if (from instanceof From.Last last) {
            o.putObject("from").put("last", last.count());
        } else if (from instanceof From.Time time) {
            o.putObject("from").put("time", time.epochMillis());
        }
        return write(o);
    }

    String unsubscribe(long id, String room) {
        return write(request("unsubscribe", id).put("room", room));
    }

    String publish(long id, String room, PublishOptions options, JsonNode data) {
        ObjectNode o = request("publish", id).put("room", room).put("type", options.type());
        if (options.eventId() != null) {
            // The key makes this client one publisher across connections and edges when it has no token, so a
            // retry on a new connection is recognised as the same publisher's (docs/security.md).
            o.put("eventId", options.eventId()).put("publisherKey", publisherKey);
        }
        if (options.retry()) {
            o.put("retry", true);
        }
        o.set("data", data == null ? NullNode.getInstance() : data);
        return write(o);
    }

    /**
     * The same {@code publish} frame marked {@code "retry":true}, for a resend after a lost connection. The mark goes
     * in as text, so {@code data} goes out byte for byte as it was first sent (a re-parse through the application's
     * {@code ObjectMapper} could change numbers); the frame grows by exactly {@link #RETRY_MARK_BYTES}.
     */
    static String markedRetry(String publishFrame) {
        if (!publishFrame.startsWith("{")) {
            throw new IllegalArgumentException("not a JSON object: " + shorten(publishFrame));
        }
        return "{" + RETRY_MARK + publishFrame.substring(1);
    }

    /** An ephemeral publish: never stored, so no eventId and no retry. */
    String publishEphemeral(long id, String room, String type, JsonNode data) {
        ObjectNode o = request("publish", id).put("room", room).put("type", type).put("ephemeral", true);
        o.set("data", data == null ? NullNode.getInstance() : data);
        return write(o);
    }

    String presence(long id, String room) {
        return write(request("presence", id).put("room", room));
    }

    String auth(long id, String token) {
        return write(request("auth", id).put("token", token));
    }

    String ping(long id) {
        return write(request("ping", id));
    }

    /** Converts publish data given as any object (a {@link JsonNode}, a record, a map, a string...) to JSON. */
    JsonNode toJson(Object data) {
        return data instanceof JsonNode node ? node : mapper.valueToTree(data);
    }

    private ObjectNode request(String op, long id) {
        return mapper.createObjectNode().put("op", op).put("id", id);
    }

    private String write(ObjectNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String shorten(String s) {
        String oneLine = s == null ? "" : s.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_PROBLEM_CHARS ? oneLine : oneLine.substring(0, MAX_PROBLEM_CHARS) + "...";
    }

    /** Typed access to the fields of one frame object, with errors that name the op and the field. */
    private record Fields(String op, JsonNode node) {

        Long id() {
            JsonNode id = node.get("id");
            return id != null && id.canConvertToLong() && id.isIntegralNumber() ? id.asLong() : null;
        }

        String text(String name) {
            JsonNode v = node.get(name);
            if (v == null || !v.isTextual()) {
                throw bad(name, "must be a string");
            }
            return v.asText();
        }

        String optionalText(String name, String fallback) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isTextual()) {
                throw bad(name, "must be a string");
            }
            return v.asText();
        }

        long offset(String name) {
            JsonNode v = node.get(name);
            if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < -1) {
                throw bad(name, "must be an integer >= -1");
            }
            return v.asLong();
        }

        long optionalLong(String name, long fallback) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw bad(name, "must be an integer");
            }
            return v.asLong();
        }

        /** A required integer in 0..2^31-1 (a count or a seq). */
        int count(String name) {
            JsonNode v = node.get(name);
            if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0) {
                throw bad(name, "must be an integer >= 0");
            }
            return v.asInt();
        }

        Long optionalLongOrNull(String name) {
            JsonNode v = node.get(name);
            return v == null || v.isNull() ? null : optionalLong(name, 0);
        }

        Boolean optionalBoolean(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isBoolean()) {
                throw bad(name, "must be a boolean");
            }
            return v.asBoolean();
        }

        private BadFrame bad(String name, String what) {
            return new BadFrame("op '" + op + "': field '" + name + "' " + what);
        }
    }

    /** A frame object that does not follow the protocol; never escapes {@link #parse}. */
    private static final class BadFrame extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadFrame(String message) {
            super(message, null, false, false);
        }
    }
}
