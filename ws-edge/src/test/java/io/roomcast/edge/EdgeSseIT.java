package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The SSE transport read over plain sockets as {@code curl -N} reads it: history then live with
 * positions as event ids, an exact resume with {@code Last-Event-ID} on another edge (no gap, no
 * duplicate), several rooms in one stream, heartbeat comments, a gap as a named event, lossless
 * backpressure for a client that stops reading, and clear 4xx answers to bad requests.
 */
class EdgeSseIT {
    private static Namespaces namespaces;
    private static EdgeServer edge;
    private static EdgeServer other;
    private static KafkaRoom kafka;

    @BeforeAll
    static void start() {
        namespaces = EdgeFixture.isolatedNamespaces();
        // A small outbound buffer, so that the slow reader below really falls behind.
        edge = EdgeFixture.start(namespaces, b -> b.pingInterval(Duration.ofMillis(300)).outboundLimit(64));
        other = EdgeFixture.start(namespaces, b -> b.pingInterval(Duration.ofMillis(300)).outboundLimit(64));
        kafka = new KafkaRoom(namespaces);
    }

    @AfterAll
    static void stop() {
        kafka.close();
        edge.close();
        other.close();
    }

    private static RoomName room(String label) {
        return RoomName.of("chat:" + TestNames.unique(label));
    }

    private static String url(EdgeServer server, String query) {
        return server.url() + "/sse?" + query;
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static List<Long> offsets(List<SseClient.Event> events) {
        return events.stream().map(e -> e.json().path("offset").asLong()).toList();
    }

    /** What came before a subscription's {@code live} event (named events too), its room events, and {@code live}. */
    private record HistoryAndLive(List<SseClient.Event> beforeLive, List<SseClient.Event> events, SseClient.Event live) {
    }

    /**
     * Reads the room events {@code expected} and the {@code live} event among them. A subscription joins the
     * live stream where the edge's live tail stands, which may be a little behind the log's end: events
     * written just before the request may follow {@code live} as live events. Whatever the split, the events
     * come in order, each once, and {@code live}'s offset is that of the last event before it (or lies before
     * the first, when none came before it).
     */
    private static HistoryAndLive readHistory(SseClient c, List<Long> expected) {
        List<SseClient.Event> beforeLive = c.until(e -> "live".equals(e.event()));
        SseClient.Event live = beforeLive.remove(beforeLive.size() - 1);
        List<SseClient.Event> events = new ArrayList<>(beforeLive.stream().filter(e -> e.event() == null).toList());
        int before = events.size();
        assertThat(offsets(events)).as("the events before live").isEqualTo(expected.subList(0, Math.min(before, expected.size())));
        long at = live.json().path("offset").asLong();
        if (before > 0) {
            assertThat(at).as("live's offset").isEqualTo(expected.get(before - 1));
        } else {
            assertThat(at).as("live's offset").isLessThan(expected.get(0));
        }
        events.addAll(c.messages(expected.size() - before));
        assertThat(offsets(events)).containsExactlyElementsOf(expected);
        return new HistoryAndLive(beforeLive, events, live);
    }

    @Test
    void shouldStreamHistoryThenLiveWithPositionsAsIds() {
        RoomName room = room("sse-basic");
        List<Long> history = kafka.messages(room, 5);
        try (SseClient c = SseClient.get(url(edge, "room=" + q(room.value()) + "&from=earliest"), Map.of())) {
            assertThat(c.status()).isEqualTo(200);
            assertThat(c.header("content-type")).startsWith("text/event-stream");
            assertThat(c.header("cache-control")).isEqualTo("no-cache");
            assertThat(c.next(e -> e.retry() != null).retry()).isEqualTo(1000);
            JsonNode subscribed = c.nextNamed("subscribed").json();
            String epoch = subscribed.path("epoch").asText();
            assertThat(subscribed.path("room").asText()).isEqualTo(room.value());
            assertThat(subscribed.path("recovered").asBoolean()).isTrue();

            HistoryAndLive read = readHistory(c, history);
            for (SseClient.Event e : read.events()) {
                JsonNode frame = e.json();
                assertThat(frame.path("op").asText()).isEqualTo("event");
                assertThat(frame.path("room").asText()).isEqualTo(room.value());
                assertThat(frame.path("type").asText()).isEqualTo("message");
                assertThat(e.id()).isEqualTo(room.value() + "~" + epoch + "~" + frame.path("offset").asLong());
            }
            assertThat(read.live().id()).isEqualTo(room.value() + "~" + epoch + "~" + read.live().json().path("offset").asLong());

            long next = kafka.json(room, "{\"text\":\"multi\\nline\"}");
            SseClient.Event e = c.nextNamed("message");
            assertThat(e.json().path("offset").asLong()).isEqualTo(next);
            assertThat(e.json().path("data").path("text").asText()).isEqualTo("multi\nline");
        }
    }

    @Test
    void shouldKeepRecordsWithRawLineBreaksOnOneDataLine() {
        RoomName room = room("sse-lines");
        long offset = kafka.write(room, "message", "{\n  \"pretty\": true\r\n}".getBytes(StandardCharsets.UTF_8), null);
        try (SseClient c = SseClient.get(url(edge, "room=" + q(room.value()) + "&from=last:1"), Map.of())) {
            SseClient.Event e = c.nextNamed("message");
            assertThat(e.data()).doesNotContain("\n");
            assertThat(e.json().path("offset").asLong()).isEqualTo(offset);
            assertThat(e.json().path("data").path("pretty").asBoolean()).isTrue();
        }
    }

    @Test
    void shouldResumeExactlyWithLastEventIdOnAnotherEdge() {
        RoomName room = room("sse-resume");
        String lastId;
        List<Long> seen;
        try (SseClient c = SseClient.get(url(edge, "room=" + q(room.value())), Map.of())) {
            c.nextNamed("live");
            List<Long> published = kafka.messages(room, 10);
            List<SseClient.Event> events = c.messages(10);
            seen = offsets(events);
            assertThat(seen).containsExactlyElementsOf(published);
            lastId = events.get(9).id();
        }
        List<RoomName> neighbours = EdgeFixture.roomsSharingPartitionWith(room, 4, 2);
        List<Long> missed = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            kafka.json(neighbours.get(i % 2), "{\"noise\":" + i + "}");
            missed.add(kafka.json(room, "{\"missed\":" + i + "}"));
        }
        try (SseClient c = SseClient.get(url(other, "room=" + q(room.value())), Map.of("Last-Event-ID", lastId))) {
            assertThat(c.status()).isEqualTo(200);
            JsonNode subscribed = c.nextNamed("subscribed").json();
            assertThat(subscribed.path("recovered").asBoolean()).isTrue();
            HistoryAndLive read = readHistory(c, missed);
            assertThat(read.beforeLive()).allMatch(e -> e.event() == null);
            long next = kafka.json(room, "{\"after\":\"resume\"}");
            assertThat(c.nextNamed("message").json().path("offset").asLong()).isEqualTo(next);
            missed.add(next);
        }
        // The same resume as a query parameter (for tools that cannot set headers), and from after the last event.
        try (SseClient c = SseClient.get(url(edge, "room=" + q(room.value()) + "&lastEventId=" + q(lastId)), Map.of())) {
            readHistory(c, missed);
        }
    }

    @Test
    void shouldCarryEveryRoomsPositionInTheIdAndResumeThemAll() {
        RoomName a = room("sse-multi-a");
        RoomName b = room("sse-multi-b");
        String lastId;
        try (SseClient c = SseClient.get(url(edge, "room=" + q(a.value()) + "&room=" + q(b.value())), Map.of())) {
            c.nextNamed("live");
            c.nextNamed("live");
            long a1 = kafka.json(a, "{\"n\":1}");
            long b1 = kafka.json(b, "{\"n\":1}");
            List<SseClient.Event> events = c.messages(2);
            lastId = events.get(1).id();
            Set<String> parts = new HashSet<>(List.of(lastId.split(",")));
            assertThat(parts).hasSize(2);
            assertThat(parts).anyMatch(p -> p.startsWith(a.value() + "~") && p.endsWith("~" + a1));
            assertThat(parts).anyMatch(p -> p.startsWith(b.value() + "~") && p.endsWith("~" + b1));
        }
        long a2 = kafka.json(a, "{\"n\":2}");
        long b2 = kafka.json(b, "{\"n\":2}");
        try (SseClient c = SseClient.get(url(other, "room=" + q(a.value()) + "&room=" + q(b.value())), Map.of("Last-Event-ID", lastId))) {
            List<SseClient.Event> events = c.messages(2);
            assertThat(events).extracting(e -> e.json().path("room").asText() + "@" + e.json().path("offset").asLong())
                    .containsExactlyInAnyOrder(a.value() + "@" + a2, b.value() + "@" + b2);
        }
    }

    @Test
    void shouldSendHeartbeatCommentsOnAnIdleStream() {
        RoomName room = room("sse-heartbeat");
        try (SseClient c = SseClient.get(url(edge, "room=" + q(room.value())), Map.of())) {
            c.nextNamed("live");
            SseClient.Event e;
            do {
                e = c.next();
            } while (!e.isComment());
            assertThat(e.isComment()).isTrue();
        }
    }

    @Test
    void shouldReportAGapAsANamedEvent() {
        RoomName room = room("sse-gap");
        long offset = kafka.json(room, "{\"n\":1}");
        String staleId = room.value() + "~AAAAAAAAAAAAAAAAAAAAAA.4~" + offset;
        try (SseClient c = SseClient.get(url(edge, "room=" + q(room.value())), Map.of("Last-Event-ID", staleId))) {
            SseClient.Event gap = c.nextNamed("gap");
            JsonNode frame = gap.json();
            assertThat(frame.path("recovered").asBoolean()).isFalse();
            assertThat(frame.path("gap").path("reason").asText()).isEqualTo("epoch");
            String epoch = frame.path("epoch").asText();
            assertThat(gap.id()).isEqualTo(room.value() + "~" + epoch + "~" + (frame.path("gap").path("resumeAt").asLong() - 1));
        }
    }

    @Test
    void shouldLoseNothingForAClientThatStopsReading() {
        RoomName room = room("sse-slow");
        int count = 4000;
        int padding = 3000;
        try (SseClient c = SseClient.request("GET", url(edge, "room=" + q(room.value())), Map.of(), null, 4096)) {
            c.nextNamed("live");
            c.pauseReading();
            // The client reads nothing while 12 MB of events come: the socket fills, the edge's
            // buffer fills, the subscription falls behind and catches up from Kafka once the client reads again.
            List<Long> published = kafka.bulk(room, count, padding);
            var buffered = edge.meters().find("roomcast.sse.buffered.bytes").gauge();
            await().atMost(Duration.ofSeconds(30)).until(() -> buffered.value() > 0);
            double most = 0;
            for (int i = 0; i < 20; i++) {
                most = Math.max(most, buffered.value());
            }
            assertThat(most).as("bytes held for the stalled client").isLessThanOrEqualTo(64 * (padding + 400));
            c.resumeReading();
            List<Long> received = offsets(c.messages(count));
            assertThat(received).containsExactlyElementsOf(published);
        }
    }

    @Test
    void shouldEndItsSubscriptionsWhenTheClientLeaves() {
        try (EdgeServer fresh = EdgeFixture.start(namespaces, b -> b.pingInterval(Duration.ofMillis(300)))) {
            var listeners = fresh.meters().find("roomcast.live.listeners").gauge();
            try (SseClient c = SseClient.get(url(fresh, "room=" + q(room("sse-leave-a").value()) + "&room=" + q(room("sse-leave-b").value())),
                    Map.of())) {
                c.nextNamed("live");
                c.nextNamed("live");
                assertThat(listeners.value()).isEqualTo(2);
            }
            // An idle stream learns of the hang-up when a heartbeat comment cannot be written (the second after it).
            await().atMost(Duration.ofSeconds(10)).until(() -> listeners.value() == 0);
        }
    }

    @Test
    void shouldTellStreamsToReconnectElsewhereOnDrain() {
        RoomName room = room("sse-drain");
        EdgeServer draining = EdgeFixture.start(namespaces, b -> b.drainDelay(Duration.ofMillis(500)));
        try (SseClient c = SseClient.get(url(draining, "room=" + q(room.value())), Map.of())) {
            c.nextNamed("live");
            draining.drain();
            SseClient.Event reconnect = c.nextNamed("reconnect");
            assertThat(reconnect.json().path("reason").asText()).isEqualTo("drain");
            await().atMost(Duration.ofSeconds(10)).until(c::ended);
            try (SseClient refused = SseClient.get(url(draining, "room=" + q(room.value())), Map.of())) {
                assertThat(refused.status()).isEqualTo(503);
            }
        } finally {
            draining.close();
        }
    }

    @Test
    void shouldRefuseBadRequestsWithAClearError() {
        String room = "room=" + q("chat:" + TestNames.unique("sse-bad"));
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("", "at least one room");
        cases.put("room=" + q("bad room!"), "invalid room name");
        cases.put(room + "&from=yesterday", "invalid from");
        cases.put(room + "&from=last:0", "last must be");
        cases.put(room + "&from=after:12", "invalid from");
        cases.put(room + "&room=" + q("chat:x") + "&from=after:1:E", "exactly one room");
        cases.put(room + "&" + room, "named twice");
        cases.put(room + "&token=abc", "not accepted in the URL");
        cases.put(room + "&policy=fastest", "unknown backpressure policy");
        cases.put(room + "&lastEventId=" + q("garbage"), "Last-Event-ID must be");
        cases.put(room + "&lastEventId=" + q("chat:a~E~x"), "invalid epoch or offset");
        cases.put("room=" + q("nope:x"), "nope");
        cases.forEach((query, message) -> {
            try (SseClient c = SseClient.get(url(edge, query), Map.of())) {
                assertThat(c.status()).as(query).isEqualTo(400);
                assertThat(c.header("content-type")).isEqualTo("application/json");
                assertThat(c.errorJson().path("error").path("code").asText()).isEqualTo("bad_request");
                assertThat(c.errorJson().path("error").path("message").asText()).as(query).contains(message);
            }
        });
        try (SseClient c = SseClient.get(url(edge, room), Map.of("Last-Event-ID", "chat:a~E~1,,"))) {
            assertThat(c.status()).isEqualTo(400);
        }
        try (SseClient c = SseClient.request("POST", url(edge, room), Map.of(), new byte[0], 0)) {
            assertThat(c.status()).isEqualTo(405);
        }
    }
}
