package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code earliest}, {@code last N} and {@code time} while publishing continues during the replay:
 * the history part is exactly what was asked for up to the {@code live} offset, and what follows
 * is every later event, with no gap and no duplicate at the boundary.
 */
class EdgeReplayIT {
    private static final long BASE_TIME = 1_700_000_000_000L;
    @RegisterExtension
    static final SharedEdge SHARED = SharedEdge.withDefaults();

    @ParameterizedTest(name = "from {0}")
    @ValueSource(strings = {"\"earliest\"", "{\"last\":20}", "{\"last\":1000}", "{\"time\":" + (BASE_TIME + 150) + "}"})
    void shouldReplayExactlyThenHandOverToLiveWithoutAGap(String from) throws Exception {
        RoomName room = RoomName.of("chat:" + TestNames.unique("replay"));
        List<RoomName> neighbours = EdgeFixture.roomsSharingPartitionWith(room, 4, 2);
        // offset -> timestamp of every event of the room
        Map<Long, Long> written = Collections.synchronizedMap(new TreeMap<>());
        for (int i = 0; i < 300; i++) {
            SHARED.kafka().json(neighbours.get(i % 2), "{}");
            written.put(SHARED.kafka().write(room, null, ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8), BASE_TIME + i), BASE_TIME + i);
        }
        try (WsClient c = WsClient.connect(SHARED.edge().wsUrl())) {
            CompletableFuture<Void> during = CompletableFuture.runAsync(() -> {
                for (int i = 300; i < 600; i++) {
                    written.put(SHARED.kafka().write(room, null, ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8), BASE_TIME + i), BASE_TIME + i);
                }
            });
            c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + room + "\",\"from\":" + from + "}");
            JsonNode subscribed = c.nextOp("subscribed");
            assertThat(subscribed.path("recovered").asBoolean()).isTrue();

            List<JsonNode> history = c.until(n -> n.path("op").asText().equals("live"));
            long liveOffset = history.remove(history.size() - 1).path("offset").asLong();
            during.join();

            List<Long> all = new ArrayList<>(written.keySet());
            List<Long> upToLive = all.stream().filter(o -> o <= liveOffset).toList();
            List<Long> afterLive = all.stream().filter(o -> o > liveOffset).toList();
            List<Long> expectedHistory = switch (from.charAt(0) == '"' ? "earliest" : from.substring(2, 6)) {
                case "earliest" -> upToLive;
                case "last" -> {
                    int n = Integer.parseInt(from.replaceAll("\\D", ""));
                    yield upToLive.subList(Math.max(0, upToLive.size() - n), upToLive.size());
                }
                case "time" -> upToLive.stream().filter(o -> written.get(o) >= BASE_TIME + 150).toList();
                default -> throw new IllegalArgumentException(from);
            };

            assertThat(history).extracting(e -> e.path("offset").asLong()).containsExactlyElementsOf(expectedHistory);
            List<JsonNode> rest = c.events(afterLive.size());
            assertThat(rest).extracting(e -> e.path("offset").asLong()).containsExactlyElementsOf(afterLive);
            assertThat(c.poll(java.time.Duration.ofMillis(300))).isNull();
        }
    }
}
