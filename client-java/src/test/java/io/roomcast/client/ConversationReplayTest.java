package io.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every recorded conversation of {@code protocol/conversations/} (format in its README) against this client: a
 * scripted transport plays the edge's frames, the script checks the frames the client sends and what the application
 * sees. The JavaScript client replays the same files.
 */
@ExtendWith(FastPolling.class)
class ConversationReplayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = Path.of("..", "protocol", "conversations").toAbsolutePath().normalize();
    private static final URI EDGE = URI.create("ws://edge:8080/ws");
    private static final Pattern NOW = Pattern.compile("^\\$now\\+(\\d+)$");

    private final FakeTransport transport = new FakeTransport();
    private final List<JsonNode> observed = new CopyOnWriteArrayList<>();
    private final Map<String, JsonNode> lastIds = new HashMap<>();
    private RoomcastClient client;

    @AfterEach
    void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    static Stream<Path> conversations() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @Test
    void shouldHaveConversationsToReplay() throws IOException {
        assertThat(conversations().count()).isGreaterThanOrEqualTo(10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conversations")
    void shouldReplayTheConversation(Path file) throws IOException {
        JsonNode conversation = JSON.readTree(file.toFile());
        client = RoomcastClient.connect(List.of(EDGE), options(conversation.path("client")).build(), transport);
        FakeTransport.FakeConnection conn = null;
        int sentIndex = 0;
        int seen = 0;
        int i = 0;
        for (JsonNode step : conversation.get("steps")) {
            String where = conversation.get("name").asText() + " step " + i++ + " " + step;
            if (step.has("app")) {
                app(step.get("app"));
            } else if (step.has("connected")) {
                int n = step.get("connected").asInt();
                await().atMost(10, TimeUnit.SECONDS).alias(where).until(() -> transport.uris.size() >= n);
                conn = connection(n);
                sentIndex = 0;
                if (step.has("query")) {
                    String query = conn.uri.getRawQuery();
                    assertThat(query == null ? "" : query).as(where).isEqualTo(step.get("query").asText());
                }
            } else if (step.has("send")) {
                FakeTransport.FakeConnection c = conn;
                int[] index = {sentIndex};
                JsonNode[] frame = new JsonNode[1];
                await().atMost(10, TimeUnit.SECONDS).alias(where).until(() -> {
                    while (index[0] < c.sent.size()) {
                        JsonNode f = JSON.readTree(c.sent.get(index[0]));
                        if (!f.path("op").asText().equals("ping")) {
                            frame[0] = f;
                            return true;
                        }
                        index[0]++;
                    }
                    return false;
                });
                assertThat(matches(step.get("send"), frame[0])).as(where + ": the client sent " + frame[0]).isTrue();
                lastIds.put(frame[0].get("op").asText(), frame[0].get("id"));
                sentIndex = index[0] + 1;
            } else if (step.has("receive")) {
                conn.push(resolve(step.get("receive")).toString());
            } else if (step.has("receiveRaw")) {
                conn.push(step.get("receiveRaw").asText());
            } else if (step.has("closeBy")) {
                conn.handler.onClosed(step.get("closeBy").get("code").asInt(), step.get("closeBy").path("reason").asText(""));
            } else if (step.has("expect")) {
                int at = seen;
                await().atMost(10, TimeUnit.SECONDS).alias(where + "; observed " + observed).until(() -> observed.size() > at);
                assertThat(matches(step.get("expect"), observed.get(seen))).as(where + ": saw " + observed.get(seen)).isTrue();
                seen++;
            } else if (step.has("expectUnordered")) {
                int n = step.get("expectUnordered").size();
                int at = seen;
                await().atMost(10, TimeUnit.SECONDS).alias(where + "; observed " + observed).until(() -> observed.size() >= at + n);
                List<JsonNode> got = new ArrayList<>(observed.subList(seen, seen + n));
                for (JsonNode e : step.get("expectUnordered")) {
                    JsonNode hit = got.stream().filter(o -> matches(e, o)).findFirst().orElse(null);
                    assertThat(hit).as(where + ": nothing matches " + e + " in " + got).isNotNull();
                    got.remove(hit);
                }
                seen += n;
            } else {
                throw new AssertionError("unknown step " + where);
            }
        }
        assertThat(observed.subList(seen, observed.size())).as("nothing else reached the application").isEmpty();
    }

    private ClientOptions.Builder options(JsonNode c) {
        ClientOptions.Builder b = ClientOptions.builder()
                .backoff(new BackoffPolicy(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(40)))
                .pingInterval(Duration.ofHours(1))
                .pongTimeout(Duration.ofHours(1))
                .publishTimeout(Duration.ofHours(1))
                .stateListener(change -> {
                    ObjectNode o = observation("state").put("state", change.current().name().toLowerCase());
                    if (change.current() == ConnectionState.CLOSED && change.cause() != null) {
                        o.put("code", change.cause().code().wireName());
                    }
                    observed.add(o);
                })
                .errorListener(e -> observed.add(observation("error").put("code", e.code().wireName())));
        JsonNode token = c.get("token");
        if (token != null && token.isArray()) {
            AtomicInteger n = new AtomicInteger();
            b.tokenSupplier(() -> {
                observed.add(observation("token"));
                return token.get(Math.min(n.getAndIncrement(), token.size() - 1)).asText();
            });
        } else if (token != null) {
            b.token(token.asText());
        }
        return b.tokenInUrl(c.path("tokenInUrl").asBoolean(false));
    }

    private void app(JsonNode a) {
        if (a.has("subscribe")) {
            String room = a.get("subscribe").asText();
            DeliveryPolicy policy = null;
            for (DeliveryPolicy p : DeliveryPolicy.values()) {
                if (p.wireName().equals(a.path("policy").asText())) {
                    policy = p;
                }
            }
            SubscribeOptions options = SubscribeOptions.from(from(a.get("from"))).withPolicy(policy);
            if (a.path("presence").asBoolean()) {
                options = a.has("name") ? options.withPresence(a.get("name").asText()) : options.withPresence();
            }
            if (a.path("ephemeral").asBoolean()) {
                options = options.withEphemeral();
            }
            if (a.path("compact").asBoolean()) {
                options = options.withCompact();
            }
            client.subscribe(room, options, new SubscriptionListener() {
                @Override
                public void onJoin(Member m, int count) {
                    observed.add(observation("join").put("room", room).put("client", m.client()).put("name", m.name()).put("count", count));
                }

                @Override
                public void onLeave(Member m, int count) {
                    observed.add(observation("leave").put("room", room).put("client", m.client()).put("name", m.name()).put("count", count));
                }

                @Override
                public void onEphemeral(EphemeralEvent e) {
                    ObjectNode o = observation("ephemeral").put("room", e.room()).put("type", e.type()).put("client", e.client());
                    o.set("data", e.data());
                    observed.add(o);
                }

                @Override
                public void onPartial(PartialAnswer p) {
                    observed.add(observation("partial").put("room", p.room()).put("generationId", p.generationId())
                            .put("fromSeq", p.fromSeq()).put("toSeq", p.toSeq()).put("offset", p.offset()).put("text", p.text()));
                }

                @Override
                public void onSnapshot(Snapshot x) {
                    ObjectNode o = observation("snapshot").put("room", x.room()).put("offset", x.offset()).put("epoch", x.epoch());
                    o.set("data", x.data());
                    observed.add(o);
                }

                @Override
                public void onEvent(RoomEvent e) {
                    ObjectNode o = observation("event").put("room", e.room()).put("offset", e.offset()).put("type", e.type());
                    o.set("data", e.data());
                    if (e.eventId() != null) {
                        o.put("eventId", e.eventId());
                    }
                    observed.add(o);
                }

                @Override
                public void onLive(long offset) {
                    observed.add(observation("live").put("room", room).put("offset", offset));
                }

                @Override
                public void onGap(Gap g) {
                    observed.add(observation("gap").put("room", g.room()).put("reason", g.reason()).put("after", g.after())
                            .put("resumeAt", g.resumeAt()).put("count", g.count()).put("first", g.first()).put("last", g.last()));
                }

                @Override
                public void onError(ClientError e) {
                    observed.add(observation("subscriptionError").put("room", room).put("code", e.code().wireName())
                            .put("retrying", e.code().retryable()));
                }
            });
        } else if (a.has("publish") && a.path("ephemeral").asBoolean()) {
            String as = a.get("as").asText();
            client.publishEphemeral(a.get("publish").asText(), a.path("type").asText("message"), a.get("data"))
                    .whenComplete((none, error) -> {
                        if (error == null) {
                            observed.add(observation("ack").put("as", as).putNull("offset"));
                        } else {
                            Throwable cause = error.getCause() != null ? error.getCause() : error;
                            observed.add(observation("publishError").put("as", as)
                                    .put("code", ((RoomcastException) cause).code().wireName()));
                        }
                    });
        } else if (a.has("presence")) {
            String as = a.get("as").asText();
            client.presence(a.get("presence").asText()).whenComplete((p, error) -> {
                if (error == null) {
                    ObjectNode o = observation("presence").put("as", as).put("count", p.count());
                    p.members().forEach(m -> o.withArray("names").add(m.name()));
                    observed.add(o);
                } else {
                    Throwable cause = error.getCause() != null ? error.getCause() : error;
                    observed.add(observation("presenceError").put("as", as).put("code", ((RoomcastException) cause).code().wireName()));
                }
            });
        } else if (a.has("publish")) {
            PublishOptions po = PublishOptions.ofType(a.path("type").asText("message"));
            if (a.has("eventId")) {
                po = po.withEventId(a.get("eventId").asText());
            }
            String as = a.get("as").asText();
            client.publish(a.get("publish").asText(), a.get("data"), po).whenComplete((offset, error) -> {
                if (error == null) {
                    observed.add(observation("ack").put("as", as).put("offset", offset));
                } else {
                    Throwable cause = error.getCause() != null ? error.getCause() : error;
                    observed.add(observation("publishError").put("as", as)
                            .put("code", ((RoomcastException) cause).code().wireName()));
                }
            });
        } else {
            throw new AssertionError("unknown app step " + a);
        }
    }

    private static From from(JsonNode f) {
        if (f == null || f.isNull() || f.asText().equals("latest")) {
            return From.latest();
        }
        if (f.isTextual() && f.asText().equals("earliest")) {
            return From.earliest();
        }
        if (f.isTextual() && f.asText().equals("snapshot")) {
            return From.snapshot();
        }
        if (f.has("after")) {
            return From.after(f.get("after").asLong(), f.get("epoch").asText());
        }
        if (f.has("last")) {
            return From.last(f.get("last").asInt());
        }
        return From.time(f.get("time").asLong());
    }

    private FakeTransport.FakeConnection connection(int n) {
        List<FakeTransport.FakeConnection> all = new ArrayList<>();
        transport.attempts.drainTo(all);
        pending.addAll(all);
        return pending.get(n - 1);
    }

    private final List<FakeTransport.FakeConnection> pending = new ArrayList<>();

    private JsonNode resolve(JsonNode v) {
        if (v.isTextual()) {
            String s = v.asText();
            if (s.startsWith("$id:")) {
                return lastIds.get(s.substring(4));
            }
            Matcher now = NOW.matcher(s);
            if (now.matches()) {
                return JsonNodeFactory.instance.numberNode(System.currentTimeMillis() + Long.parseLong(now.group(1)));
            }
            return v;
        }
        if (v.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            v.forEach(x -> out.add(resolve(x)));
            return out;
        }
        if (v.isObject()) {
            ObjectNode out = JSON.createObjectNode();
            v.fields().forEachRemaining(e -> out.set(e.getKey(), resolve(e.getValue())));
            return out;
        }
        return v;
    }

    /** Given fields equal (objects recursively, numbers by value), "$any" matches anything. */
    static boolean matches(JsonNode expected, JsonNode actual) {
        if (expected.isTextual() && expected.asText().equals("$any")) {
            return true;
        }
        if (actual == null) {
            return false;
        }
        if (expected.isObject()) {
            if (!actual.isObject()) {
                return false;
            }
            Iterator<Map.Entry<String, JsonNode>> it = expected.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!matches(e.getValue(), actual.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                return false;
            }
            for (int k = 0; k < expected.size(); k++) {
                if (!matches(expected.get(k), actual.get(k))) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        return expected.equals(actual);
    }

    private static ObjectNode observation(String kind) {
        return JSON.createObjectNode().put("kind", kind);
    }
}
