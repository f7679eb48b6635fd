package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code "compact":true}: finished answers arrive as their {@code generation.message} instead of
 * their tokens, an answer still streaming arrives as one {@code partial} frame and then live tokens,
 * with no gap and no duplicate at the boundary; compact and full histories agree on every answer.
 * The answers are written as the model producer writes them, through a plain Kafka producer.
 */
class EdgeCompactIT {
    @RegisterExtension
    static final SharedEdge SHARED = SharedEdge.withDefaults(); // chat keeps 50 events per room in the cache

    private static void write(RoomName room, String type, String json) {
        SHARED.kafka().write(room, type, json.getBytes(StandardCharsets.UTF_8), null);
    }

    private static String token(String gen, int seq) {
        return "w" + seq + "-" + gen.hashCode() % 97 + " ";
    }

    /** An answer as the producer writes it; returns its text. */
    private static String answer(RoomName room, String gen, int tokens, String status, boolean restartAfterFirst) {
        write(room, "prompt", "{\"text\":\"question " + gen + "\"}");
        write(room, "generation.started", "{\"generationId\":\"" + gen + "\"}");
        if (restartAfterFirst) {
            write(room, "token", "{\"generationId\":\"" + gen + "\",\"seq\":0,\"text\":\"void \"}");
            write(room, "generation.restarted", "{\"generationId\":\"" + gen + "\",\"reason\":\"takeover\"}");
        }
        StringBuilder text = new StringBuilder();
        for (int seq = 0; seq < tokens; seq++) {
            write(room, "token", "{\"generationId\":\"" + gen + "\",\"seq\":" + seq + ",\"text\":\"" + token(gen, seq) + "\"}");
            text.append(token(gen, seq));
            if (seq % 7 == 3) {
                write(room, "message", "{\"text\":\"someone talks meanwhile\"}");
            }
        }
        write(room, "generation." + status, "{\"generationId\":\"" + gen + "\"}");
        write(room, "generation.message", "{\"generationId\":\"" + gen + "\",\"status\":\"" + status + "\",\"text\":\"" + text
                + "\",\"tokens\":" + tokens + "}");
        return text.toString();
    }

    /** The answers a client shows after the frames up to live: per generation id, its text. */
    private static Map<String, String> render(List<JsonNode> frames) {
        Map<String, StringBuilder> texts = new LinkedHashMap<>();
        Map<String, String> finals = new HashMap<>();
        for (JsonNode f : frames) {
            String op = f.path("op").asText();
            JsonNode data = f.path("data");
            String gen = op.equals("partial") ? f.path("generationId").asText() : data.path("generationId").asText(null);
            if (gen == null) {
                continue;
            }
            StringBuilder text = texts.computeIfAbsent(gen, g -> new StringBuilder());
            if (op.equals("partial")) {
                text.append(f.path("text").asText());
            } else if (f.path("type").asText().equals("token")) {
                text.append(data.path("text").asText());
            } else if (f.path("type").asText().equals("generation.restarted")) {
                text.setLength(0);
            } else if (f.path("type").asText().equals("generation.message")) {
                finals.put(gen, data.path("text").asText());
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        texts.forEach((gen, text) -> out.put(gen, finals.getOrDefault(gen, text.toString())));
        return out;
    }

    private static List<JsonNode> history(RoomName room, String options) {
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"from\":\"earliest\"" + options + "}");
            c.nextOp("subscribed");
            return c.until(f -> f.path("op").asText().equals("live"));
        }
    }

    @Test
    void shouldAgreeWithTheFullHistoryOnEveryAnswerWithoutItsTokens() {
        RoomName room = RoomName.of("chat:compact-" + TestNames.unique());
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("g1", answer(room, "g1", 40, "done", false));
        expected.put("g2", answer(room, "g2", 12, "cancelled", false));
        expected.put("g3", answer(room, "g3", 30, "done", true));
        expected.put("g4", answer(room, "g4", 0, "error", false));
        write(room, "prompt", "{\"text\":\"still answering\"}");
        write(room, "generation.started", "{\"generationId\":\"g5\"}");
        StringBuilder open = new StringBuilder();
        for (int seq = 0; seq < 9; seq++) {
            write(room, "token", "{\"generationId\":\"g5\",\"seq\":" + seq + ",\"text\":\"" + token("g5", seq) + "\"}");
            open.append(token("g5", seq));
        }
        expected.put("g5", open.toString());

        List<JsonNode> full = history(room, "");
        List<JsonNode> compact = history(room, ",\"compact\":true");
        assertThat(render(full)).containsAllEntriesOf(expected);
        assertThat(render(compact)).containsAllEntriesOf(expected);
        assertThat(compact).noneMatch(f -> f.path("type").asText().equals("token"));
        assertThat(compact).filteredOn(f -> f.path("op").asText().equals("partial")).singleElement()
                .satisfies(p -> {
                    assertThat(p.path("generationId").asText()).isEqualTo("g5");
                    assertThat(p.path("fromSeq").asInt()).isZero();
                    assertThat(p.path("toSeq").asInt()).isEqualTo(8);
                });
        // everything but the tokens arrives, in offset order, and live names the same position
        List<Long> fullOffsets = full.stream().filter(f -> f.path("op").asText().equals("event") && !f.path("type").asText().equals("token"))
                .map(f -> f.path("offset").asLong()).toList();
        assertThat(compact.stream().filter(f -> f.path("op").asText().equals("event")).map(f -> f.path("offset").asLong()).toList())
                .containsExactlyElementsOf(fullOffsets);
        assertThat(compact.get(compact.size() - 1).path("offset").asLong()).isEqualTo(full.get(full.size() - 1).path("offset").asLong());
        assertThat(compact.size()).isLessThan(full.size() / 2);
    }

    @Test
    void shouldHandALateJoinerThePartialAnswerThenTheLiveTokensWithoutGapOrDuplicate() throws Exception {
        RoomName room = RoomName.of("chat:compact-live-" + TestNames.unique());
        int tokens = 400;
        write(room, "generation.started", "{\"generationId\":\"g\"}");
        AtomicInteger written = new AtomicInteger();
        CompletableFuture<String> writer = CompletableFuture.supplyAsync(() -> answerTokens(room, tokens, written));
        List<CompletableFuture<List<JsonNode>>> joiners = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            // joiners arrive while tokens stream (after 50, 100, ... 300 of them); each reads until the answer's message
            int mark = 50 * (i + 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> written.get() >= mark);
            joiners.add(CompletableFuture.supplyAsync(() -> {
                try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
                    c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"from\":\"earliest\",\"compact\":true}");
                    c.nextOp("subscribed");
                    return c.until(f -> f.path("type").asText().equals("generation.message"));
                }
            }));
        }
        String text = writer.get(60, TimeUnit.SECONDS);
        int straddling = 0;
        for (CompletableFuture<List<JsonNode>> joiner : joiners) {
            List<JsonNode> frames = joiner.get(60, TimeUnit.SECONDS);
            int next = 0;
            StringBuilder seen = new StringBuilder();
            boolean live = false;
            if (frames.stream().noneMatch(f -> f.path("op").asText().equals("live"))) {
                // joined after the answer finished: the message came in the compacted history
                assertThat(render(frames)).containsEntry("g", text);
                continue;
            }
            for (JsonNode f : frames) {
                String op = f.path("op").asText();
                if (op.equals("partial")) {
                    assertThat(live).as("partials come before live").isFalse();
                    assertThat(f.path("fromSeq").asInt()).isEqualTo(next);
                    next = f.path("toSeq").asInt() + 1;
                    seen.append(f.path("text").asText());
                } else if (op.equals("live")) {
                    live = true;
                } else if (f.path("type").asText().equals("token")) {
                    assertThat(live).as("no token in the compacted history").isTrue();
                    assertThat(f.path("data").path("seq").asInt()).as("no gap, no duplicate").isEqualTo(next);
                    next++;
                    seen.append(f.path("data").path("text").asText());
                }
            }
            assertThat(next).isEqualTo(tokens);
            assertThat(seen.toString()).isEqualTo(text);
            boolean hadPartial = frames.stream().anyMatch(f -> f.path("op").asText().equals("partial"));
            boolean hadLiveTokens = frames.stream().anyMatch(f -> f.path("type").asText().equals("token"));
            straddling += hadPartial && hadLiveTokens ? 1 : 0;
        }
        assertThat(straddling).as("joiners that arrived mid-answer").isPositive();
        // the answer is finished now: a late joiner gets it as one message, no partial, no token
        List<JsonNode> after = history(room, ",\"compact\":true");
        assertThat(after).noneMatch(f -> f.path("op").asText().equals("partial") || f.path("type").asText().equals("token"));
        assertThat(render(after)).containsEntry("g", text);
    }

    private static String answerTokens(RoomName room, int tokens, AtomicInteger written) {
        StringBuilder text = new StringBuilder();
        for (int seq = 0; seq < tokens; seq++) {
            write(room, "token", "{\"generationId\":\"g\",\"seq\":" + seq + ",\"text\":\"" + token("g", seq) + "\"}");
            text.append(token("g", seq));
            written.incrementAndGet();
        }
        write(room, "generation.done", "{\"generationId\":\"g\"}");
        write(room, "generation.message", "{\"generationId\":\"g\",\"status\":\"done\",\"text\":\"" + text + "\"}");
        return text.toString();
    }
}
