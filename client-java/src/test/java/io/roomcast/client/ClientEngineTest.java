package io.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client's protocol logic against a scripted transport: the test plays the edge frame by frame. */
@ExtendWith(FastPolling.class)
class ClientEngineTest {

    private static final URI EDGE_A = URI.create("ws://edge-a:8080/ws");
    private static final URI EDGE_B = URI.create("ws://edge-b:8080/ws");
    private static final String ROOM = "chat:lobby";

    private final FakeTransport transport = new FakeTransport();
    private final MutableClock clock = new MutableClock();
    private final List<String> states = new CopyOnWriteArrayList<>();
    private RoomcastClient client;

    @AfterEach
    void closeClient() {
        if (client != null) {
            client.close();
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("roomcast-client-") && t.isAlive()));
    }

    private ClientOptions.Builder options() {
        return ClientOptions.builder()
                .backoff(new BackoffPolicy(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(10)))
                .pingInterval(Duration.ofHours(1))
                .pongTimeout(Duration.ofHours(1))
                .publishTimeout(Duration.ofHours(1))
                .clock(clock)
                .stateListener(c -> states.add(c.previous() + ">" + c.current()
                        + (c.cause() == null ? "" : ":" + c.cause().code().wireName())));
    }

    private RoomcastClient connect(ClientOptions options) {
        client = RoomcastClient.connect(List.of(EDGE_A, EDGE_B), options, transport);
        return client;
    }

    private static String subscribed(JsonNode request, String epoch, String extra) {
        return "{\"op\":\"subscribed\",\"id\":" + request.get("id") + ",\"room\":" + request.get("room") + ",\"epoch\":\""
                + epoch + "\"" + extra + "}";
    }

    private static String event(long offset) {
        return "{\"op\":\"event\",\"room\":\"" + ROOM + "\",\"offset\":" + offset + ",\"ts\":1,\"data\":{\"n\":" + offset + "}}";
    }

    @Test
    void shouldResumeAfterItsLastPositionOnTheNextEdgeAndDropDuplicates() {
        connect(options().build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        RecordingListener rec = new RecordingListener();
        Subscription sub = client.subscribe(ROOM, From.earliest(), rec);

        JsonNode first = a.awaitSent("subscribe");
        assertThat(first.get("from").asText()).isEqualTo("earliest");
        a.push(subscribed(first, "E", ",\"recovered\":true"));
        a.push("[" + event(3) + "," + event(7) + ",{\"op\":\"live\",\"room\":\"" + ROOM + "\",\"offset\":9}]");
        a.push(event(12));
        await().until(() -> rec.log.contains("event:12"));
        assertThat(sub.position()).contains(new Position(12, "E"));

        a.handler.onFailure(new IOException("connection reset"));
        FakeTransport.FakeConnection b = transport.nextAttempt();
        assertThat(b.uri).isEqualTo(EDGE_B);
        JsonNode resume = b.awaitSent("subscribe");
        assertThat(resume.get("from").get("after").asLong()).isEqualTo(12);
        assertThat(resume.get("from").get("epoch").asText()).isEqualTo("E");
        b.push(subscribed(resume, "E", ",\"recovered\":true"));
        b.push("[" + event(12) + "," + event(13) + "]");
        b.push("{\"op\":\"live\",\"room\":\"" + ROOM + "\",\"offset\":13}");

        await().until(() -> rec.log.contains("live:13"));
        assertThat(rec.log).containsExactly("subscribed:E:true", "event:3", "event:7", "live:9", "event:12",
                "subscribed:E:true:resumed", "event:13", "live:13");
        assertThat(rec.overlaps).hasValue(0);
        assertThat(rec.threads).allSatisfy(t -> assertThat(t).endsWith("-listener"));
        assertThat(sub.position()).contains(new Position(13, "E"));
        assertThat(a.aborted).isTrue();
        await().until(() -> states.size() == 3);
        assertThat(states).containsExactly("CONNECTING>OPEN", "OPEN>RECONNECTING:connection_lost", "RECONNECTING>OPEN");
    }

    @Test
    void shouldReportAGapBeforeTheEventsThatFollowIt() {
        connect(options().build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        RecordingListener rec = new RecordingListener();
        client.subscribe(ROOM, From.after(41, "E"), rec);
        JsonNode request = a.awaitSent("subscribe");
        assertThat(request.get("from").toString()).isEqualTo("{\"after\":41,\"epoch\":\"E\"}");
        a.push(subscribed(request, "E2", ",\"recovered\":false,\"gap\":{\"reason\":\"retention\",\"after\":41,\"resumeAt\":980}"));
        a.push(event(980));
        await().until(() -> rec.log.size() == 3);
        assertThat(rec.log).containsExactly("subscribed:E2:false", "gap:retention:41:980", "event:980");
    }

    @Test
    void shouldHaveNoPositionAfterAGapIntoAnotherEpochWithoutResumeAt() {
        connect(options().build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        RecordingListener rec = new RecordingListener();
        Subscription sub = client.subscribe(ROOM, From.after(41, "E"), rec);
        assertThat(sub.position()).contains(new Position(41, "E"));
        JsonNode request = a.awaitSent("subscribe");
        a.push(subscribed(request, "E2", ",\"recovered\":false,\"gap\":{\"reason\":\"epoch\",\"after\":41}"));
        await().until(() -> rec.log.size() == 2);
        // The old epoch's offset is no place to resume from any more: no position until an event of the new one.
        assertThat(sub.position()).isEmpty();
    }

    @Test
    void shouldQueuePublishesWhileDisconnectedAndCompleteThemWithTheAckedOffset() throws Exception {
        transport.autoAccept = false;
        connect(options().build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        CompletableFuture<Long> ok = client.publish(ROOM, Map.of("text", "hi"), PublishOptions.ofType("message").withEventId("c1-1"));
        CompletableFuture<Long> refused = client.publish(ROOM, "no");
        assertThat(a.sent).isEmpty();

        a.future.complete(a);
        JsonNode p1 = a.awaitSent("publish", 1);
        JsonNode p2 = a.awaitSent("publish", 2);
        assertThat(p1.get("data").get("text").asText()).isEqualTo("hi");
        assertThat(p1.get("eventId").asText()).isEqualTo("c1-1");
        a.push("{\"op\":\"ack\",\"id\":" + p1.get("id") + ",\"room\":\"" + ROOM + "\",\"offset\":57}");
        a.push("{\"op\":\"error\",\"id\":" + p2.get("id") + ",\"code\":\"forbidden\",\"message\":\"not allowed\"}");

        assertThat(ok.get(5, TimeUnit.SECONDS)).isEqualTo(57L);
        assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(RoomcastException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
                    assertThat(e.getMessage()).contains("not allowed");
                });
    }

    @Test
    void shouldFailPublishesClearlyWhenTheQueueIsFullOrTheTimeRunsOut() {
        transport.autoAccept = false;
        connect(options().publishQueueLimit(2).publishTimeout(Duration.ofMillis(100)).build());
        transport.nextAttempt();
        CompletableFuture<Long> f1 = client.publish(ROOM, 1);
        CompletableFuture<Long> f2 = client.publish(ROOM, 2);
        CompletableFuture<Long> full = client.publish(ROOM, 3);
        assertThat(codeOf(full)).isEqualTo(ErrorCode.QUEUE_FULL);
        assertThat(f1).isNotDone();

        clock.advance(Duration.ofMillis(100));
        await().until(() -> f1.isDone() && f2.isDone());
        assertThat(codeOf(f1)).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(codeOf(f2)).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(errorOf(f1).maybeWritten()).as("never sent: not written").isFalse();
        assertThat(errorOf(f1).message()).contains("not sent");
        // the slots came back
        assertThat(client.publish(ROOM, 4)).isNotDone();
    }

    @Test
    void shouldRefuseAPublishAboveTheFrameLimitLocally() {
        connect(options().maxFrameBytes(1024).build());
        assertThat(codeOf(client.publish(ROOM, "x".repeat(2000)))).isEqualTo(ErrorCode.TOO_LARGE);
    }

    @Test
    void shouldResendInFlightPublishesWithAnEventIdAsRetryAndFailTheOthersWithConnectionLost() throws Exception {
        connect(options().build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        CompletableFuture<Long> keyed = client.publish(ROOM, "k", PublishOptions.ofDefaults().withEventId("c1-1"));
        CompletableFuture<Long> plain = client.publish(ROOM, "p");
        a.awaitSent("publish", 2);
        assertThat(a.sent).as("a first attempt never carries retry").noneMatch(f -> f.contains("retry"));

        a.handler.onClosed(1006, "");
        assertThat(codeOf(plain)).isEqualTo(ErrorCode.CONNECTION_LOST);
        assertThat(keyed).isNotDone();
        CompletableFuture<Long> later = client.publish(ROOM, "l", PublishOptions.ofDefaults().withEventId("c1-2"));

        FakeTransport.FakeConnection b = transport.nextAttempt();
        JsonNode resent = b.awaitSent("publish", 1);
        JsonNode next = b.awaitSent("publish", 2);
        assertThat(resent.get("eventId").asText()).isEqualTo("c1-1");
        assertThat(resent.get("data").asText()).isEqualTo("k");
        assertThat(resent.get("retry").asBoolean()).isTrue();
        assertThat(next.get("eventId").asText()).as("queued later, sent after the resend").isEqualTo("c1-2");
        assertThat(next.has("retry")).isFalse();
        b.push("{\"op\":\"ack\",\"id\":" + resent.get("id") + ",\"room\":\"" + ROOM + "\",\"offset\":57,\"duplicate\":true}");
        b.push("{\"op\":\"ack\",\"id\":" + next.get("id") + ",\"room\":\"" + ROOM + "\",\"offset\":58}");

        assertThat(keyed.get(5, TimeUnit.SECONDS)).isEqualTo(57L);
        assertThat(later.get(5, TimeUnit.SECONDS)).isEqualTo(58L);
        assertThat(b.countSent("publish")).as("the publish without eventId is not resent").isEqualTo(2);
    }

    @Test
    void shouldResendAPublishWithAnEventIdAsRetryOnOutcomeUnknownAndFailOneWithout() throws Exception {
        connect(options().build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        CompletableFuture<Long> keyed = client.publish(ROOM, "k", PublishOptions.ofDefaults().withEventId("c1-1"));
        JsonNode first = a.awaitSent("publish", 1);
        assertThat(first.get("publisherKey").asText()).matches("[A-Za-z0-9_-]{22}");
        a.push("{\"op\":\"error\",\"id\":" + first.get("id") + ",\"room\":\"" + ROOM
                + "\",\"code\":\"outcome_unknown\",\"message\":\"Kafka did not acknowledge the write\"}");
        JsonNode retry = a.awaitSent("publish", 2);
        assertThat(retry.get("retry").asBoolean()).isTrue();
        assertThat(retry.get("eventId").asText()).isEqualTo("c1-1");
        assertThat(retry.get("publisherKey").asText()).isEqualTo(first.get("publisherKey").asText());
        assertThat(keyed).isNotDone();
        a.push("{\"op\":\"ack\",\"id\":" + retry.get("id") + ",\"room\":\"" + ROOM + "\",\"offset\":57,\"duplicate\":true}");
        assertThat(keyed.get(5, TimeUnit.SECONDS)).isEqualTo(57L);

        // A retry answered outcome_unknown (the edge could not look it up) is not resent at once: it fails, naming its eventId.
        CompletableFuture<Long> looping = client.publish(ROOM, "l", PublishOptions.ofDefaults().withEventId("c1-2"));
        JsonNode once = a.awaitSent("publish", 3);
        a.push("{\"op\":\"error\",\"id\":" + once.get("id") + ",\"room\":\"" + ROOM
                + "\",\"code\":\"outcome_unknown\",\"message\":\"Kafka did not acknowledge the write\"}");
        JsonNode again = a.awaitSent("publish", 4);
        assertThat(again.get("retry").asBoolean()).isTrue();
        a.push("{\"op\":\"error\",\"id\":" + again.get("id") + ",\"room\":\"" + ROOM
                + "\",\"code\":\"outcome_unknown\",\"message\":\"too much to read\"}");
        assertThat(codeOf(looping)).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
        assertThat(a.countSent("publish")).isEqualTo(4);

        CompletableFuture<Long> plain = client.publish(ROOM, "p");
        JsonNode sent = a.awaitSent("publish", 5);
        assertThat(sent.has("publisherKey")).isFalse();
        a.push("{\"op\":\"error\",\"id\":" + sent.get("id") + ",\"room\":\"" + ROOM
                + "\",\"code\":\"outcome_unknown\",\"message\":\"Kafka did not acknowledge the write\"}");
        assertThat(codeOf(plain)).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
    }

    @Test
    void shouldKeepThePublishTimeoutAndCloseForPublishesWaitingToBeResent() {
        connect(options().publishTimeout(Duration.ofMillis(100)).build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        CompletableFuture<Long> early = client.publish(ROOM, 1, PublishOptions.ofDefaults().withEventId("c1-1"));
        a.awaitSent("publish", 1);
        clock.advance(Duration.ofMillis(60));
        CompletableFuture<Long> late = client.publish(ROOM, 2, PublishOptions.ofDefaults().withEventId("c1-2"));
        a.awaitSent("publish", 2);
        transport.autoAccept = false;
        a.handler.onClosed(1006, "");
        FakeTransport.FakeConnection b = transport.nextAttempt();

        clock.advance(Duration.ofMillis(40));
        assertThat(codeOf(early)).as("the timeout counts from the call, not from the resend").isEqualTo(ErrorCode.TIMEOUT);
        assertThat(errorOf(early)).extracting(ClientError::eventId, ClientError::maybeWritten).containsExactly("c1-1", true);
        assertThat(late).isNotDone();
        client.close();
        assertThat(codeOf(late)).isEqualTo(ErrorCode.CLOSED);
        assertThat(errorOf(late)).as("sent before the connection was lost: it may have been written")
                .extracting(ClientError::eventId, ClientError::maybeWritten).containsExactly("c1-2", true);
        assertThat(b.sent).isEmpty();
    }

    @ParameterizedTest(name = "close {0} reconnects")
    @ValueSource(ints = {1001, 1006, 1011, 4000, 4001, 4029, 4399})
    void shouldReconnectAfterRetryableCloseCodes(int code) {
        connect(options().build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        await().until(() -> client.state() == ConnectionState.OPEN);
        a.handler.onClosed(code, "bye");
        FakeTransport.FakeConnection b = transport.nextAttempt();
        assertThat(b.uri).isEqualTo(EDGE_B);
        await().until(() -> client.state() == ConnectionState.OPEN && states.size() == 3);
        assertThat(states.get(1)).startsWith("OPEN>RECONNECTING");
    }

    @ParameterizedTest(name = "close {0} is final")
    @ValueSource(ints = {1000, 1003, 1007, 1008, 1009, 4400, 4401, 4999})
    void shouldStopForGoodAfterFinalCloseCodes(int code) {
        connect(options().build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        RecordingListener rec = new RecordingListener();
        Subscription sub = client.subscribe(ROOM, rec);
        a.awaitSent("subscribe");
        a.handler.onClosed(code, "final");
        await().until(() -> client.state() == ConnectionState.CLOSED);
        await().until(() -> rec.log.size() == 1);
        assertThat(rec.log.get(0)).startsWith("error:");
        assertThat(sub.isActive()).isFalse();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(transport.attempts::isEmpty);
    }

    @Test
    void shouldStopForGoodOnAnUnauthorizedErrorAndTellEveryone() {
        connect(options().build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        RecordingListener rec = new RecordingListener();
        client.subscribe(ROOM, rec);
        a.awaitSent("subscribe");
        CompletableFuture<Long> f = client.publish(ROOM, "x");
        a.awaitSent("publish");
        a.push("{\"op\":\"error\",\"code\":\"unauthorized\",\"message\":\"token expired\"}");
        await().until(() -> client.state() == ConnectionState.CLOSED);
        assertThat(codeOf(f)).isEqualTo(ErrorCode.UNAUTHORIZED);
        await().until(() -> rec.log.contains("error:unauthorized"));
        await().until(() -> states.contains("OPEN>CLOSED:unauthorized"));
        assertThat(a.aborted).isTrue();
    }

    @Test
    void shouldStopWhenTheHandshakeIsRefusedAsUnauthorized() {
        transport.autoAccept = false;
        connect(options().build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        a.future.completeExceptionally(new java.net.http.WebSocketHandshakeException(new FakeResponse(401)));
        await().until(() -> client.state() == ConnectionState.CLOSED);
        assertThatThrownBy(() -> client.opened().get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(RoomcastException.class);
    }

    @Test
    void shouldKeepTryingEveryEdgeWithBackoffWhileNoneAnswers() {
        transport.autoAccept = false;
        connect(options().build());
        for (int i = 0; i < 4; i++) {
            FakeTransport.FakeConnection c = transport.nextAttempt();
            assertThat(c.uri).isEqualTo(i % 2 == 0 ? EDGE_A : EDGE_B);
            c.future.completeExceptionally(new IOException("connection refused"));
        }
        assertThat(client.state()).isEqualTo(ConnectionState.CONNECTING);
        FakeTransport.FakeConnection c = transport.nextAttempt();
        c.future.complete(c);
        await().until(() -> client.state() == ConnectionState.OPEN);
        assertThat(client.connectedEdge()).isEqualTo(EDGE_A);
        // opened() completes on the callback thread, so it may trail the state change by a moment
        await().until(() -> client.opened().isDone());
        assertThat(client.opened()).isCompletedWithValue(null);
    }

    @Test
    void shouldReconnectWhenNoPongArrivesInTime() {
        connect(options().pingInterval(Duration.ofSeconds(1)).pongTimeout(Duration.ofSeconds(1)).build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        await().until(() -> client.state() == ConnectionState.OPEN);
        clock.advance(Duration.ofSeconds(1));
        a.awaitSent("ping");
        clock.advance(Duration.ofSeconds(1));
        FakeTransport.FakeConnection b = transport.nextAttempt();
        assertThat(a.aborted).isTrue();

        // an answered ping keeps the connection
        await().until(() -> client.state() == ConnectionState.OPEN);
        clock.advance(Duration.ofSeconds(1));
        JsonNode ping = b.awaitSent("ping");
        b.push("{\"op\":\"pong\",\"id\":" + ping.get("id") + "}");
        await().until(() -> b.credits.get() > 0);
        clock.advance(Duration.ofMillis(999));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !b.gone());
    }

    @Test
    void shouldFollowTheEdgesReconnectRequestToTheNextEdge() {
        connect(options().build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        RecordingListener rec = new RecordingListener();
        client.subscribe(ROOM, From.latest(), rec);
        JsonNode s = a.awaitSent("subscribe");
        a.push(subscribed(s, "E", ""));
        a.push("{\"op\":\"live\",\"room\":\"" + ROOM + "\",\"offset\":56}");
        a.push("{\"op\":\"reconnect\",\"reason\":\"drain\",\"delayMs\":20}");
        FakeTransport.FakeConnection b = transport.nextAttempt();
        assertThat(a.closedWith).isEqualTo(1000);
        assertThat(b.uri).isEqualTo(EDGE_B);
        // the live offset alone is a resume position
        assertThat(b.awaitSent("subscribe").get("from").toString()).isEqualTo("{\"after\":56,\"epoch\":\"E\"}");
    }

    @Test
    void shouldKeepADrainingConnectionForItsAcksAndSendNewRequestsOnTheNext() {
        connect(options().build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        await().until(() -> client.state() == ConnectionState.OPEN);
        CompletableFuture<Long> inFlight = client.publish(ROOM, 1); // no eventId: never resent
        JsonNode sent = a.awaitSent("publish");
        a.push("{\"op\":\"reconnect\",\"reason\":\"drain\",\"delayMs\":1500}");
        CompletableFuture<Long> during = client.publish(ROOM, 2);

        // Kafka's ack arrives after the reconnect frame, on the connection still open.
        a.push("{\"op\":\"ack\",\"id\":" + sent.get("id") + ",\"room\":\"" + ROOM + "\",\"offset\":7}");
        assertThat(inFlight.join()).isEqualTo(7);
        assertThat(a.gone()).isFalse();
        assertThat(a.countSent("publish")).as("a new request waits for the next connection").isEqualTo(1);

        FakeTransport.FakeConnection b = transport.nextAttempt();
        assertThat(a.closedWith).isEqualTo(1000);
        JsonNode resent = b.awaitSent("publish");
        assertThat(resent.get("data").asInt()).isEqualTo(2);
        b.push("{\"op\":\"ack\",\"id\":" + resent.get("id") + ",\"room\":\"" + ROOM + "\",\"offset\":8}");
        assertThat(during.join()).isEqualTo(8);
    }

    @Test
    void shouldEndARefusedSubscriptionAndRetryARetryableRefusal() {
        connect(options().build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        RecordingListener forbidden = new RecordingListener();
        Subscription subA = client.subscribe("chat:a", forbidden);
        JsonNode reqA = a.awaitSent("subscribe", 1);
        a.push("{\"op\":\"error\",\"id\":" + reqA.get("id") + ",\"room\":\"chat:a\",\"code\":\"forbidden\",\"message\":\"no\"}");
        await().until(() -> forbidden.log.contains("error:forbidden"));
        assertThat(subA.isActive()).isFalse();

        RecordingListener unavailable = new RecordingListener();
        Subscription subB = client.subscribe("chat:b", From.earliest(), unavailable);
        JsonNode reqB = a.awaitSent("subscribe", 2);
        a.push("{\"op\":\"error\",\"id\":" + reqB.get("id") + ",\"code\":\"unavailable\",\"message\":\"kafka down\"}");
        JsonNode retry = a.awaitSent("subscribe", 3);
        assertThat(retry.get("room").asText()).isEqualTo("chat:b");
        assertThat(retry.get("from").asText()).isEqualTo("earliest");
        a.push(subscribed(retry, "E", ",\"recovered\":true"));
        await().until(() -> unavailable.log.size() == 2);
        assertThat(unavailable.log).containsExactly("error:unavailable", "subscribed:E:true");
        assertThat(subB.isActive()).isTrue();
        // the same room can be subscribed again once the refused subscription ended
        client.subscribe("chat:a", new RecordingListener());
        assertThatThrownBy(() -> client.subscribe("chat:b", new RecordingListener())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldStopDeliveringAfterUnsubscribeAndTellTheEdge() {
        connect(options().build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        RecordingListener rec = new RecordingListener();
        Subscription sub = client.subscribe(ROOM, From.earliest(), rec);
        JsonNode s = a.awaitSent("subscribe");
        a.push(subscribed(s, "E", ",\"recovered\":true"));
        a.push(event(1));
        await().until(() -> rec.log.contains("event:1"));
        sub.unsubscribe();
        assertThat(sub.isActive()).isFalse();
        assertThat(a.awaitSent("unsubscribe").get("room").asText()).isEqualTo(ROOM);
        a.push(event(2));
        a.push("{\"op\":\"unsubscribed\",\"id\":99,\"room\":\"" + ROOM + "\"}");
        await().until(() -> a.credits.get() > 0);
        assertThat(rec.log).containsExactly("subscribed:E:true", "event:1");
    }

    @Test
    void shouldStopReadingWhileListenersAreBehindAndLoseNothing() throws Exception {
        connect(options().maxBufferedEvents(4).build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        CountDownLatch gate = new CountDownLatch(1);
        RecordingListener rec = new RecordingListener() {
            @Override
            public void onEvent(RoomEvent event) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.onEvent(event);
            }
        };
        client.subscribe(ROOM, From.earliest(), rec);
        JsonNode s = a.awaitSent("subscribe");
        a.push(subscribed(s, "E", ",\"recovered\":true"));
        await().until(() -> rec.log.size() == 1);
        for (int i = 1; i <= 4; i++) {
            a.push(event(i));
        }
        // four callbacks wait: the client asks for nothing more
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> a.credits.get() == 0);
        gate.countDown();
        a.push(event(5));
        await().until(() -> rec.events.size() == 5);
        assertThat(rec.offsets()).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void shouldIgnoreGarbageFromTheEdgeAndKeepWorking() {
        connect(options().build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        RecordingListener rec = new RecordingListener();
        client.subscribe(ROOM, From.earliest(), rec);
        JsonNode s = a.awaitSent("subscribe");
        a.push("this is not json");
        a.push("{\"op\":\"event\",\"room\":\"" + ROOM + "\",\"offset\":\"NaN\"}");
        a.push("{\"op\":\"hologram\"}");
        a.push("[" + subscribed(s, "E", ",\"recovered\":true") + ",7," + event(1) + "]");
        await().until(() -> rec.log.size() == 2);
        assertThat(rec.log).containsExactly("subscribed:E:true", "event:1");
        assertThat(client.state()).isEqualTo(ConnectionState.OPEN);
    }

    @Test
    void shouldCloseCleanly() throws Exception {
        transport.autoAccept = false;
        connect(options().build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        CompletableFuture<Long> queued = client.publish(ROOM, "x");
        client.close();
        assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(codeOf(queued)).isEqualTo(ErrorCode.CLOSED);
        assertThat(codeOf(client.publish(ROOM, "y"))).isEqualTo(ErrorCode.CLOSED);
        assertThatThrownBy(() -> client.subscribe(ROOM, new RecordingListener()))
                .isInstanceOfSatisfying(RoomcastException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CLOSED));
        a.future.complete(a); // the handshake finishes after close: the connection is dropped, not used
        assertThat(a.sent).isEmpty();
        client.close();
    }

    @Test
    void shouldSendAQueueThatWaitedForTheConnectionAtTheEdgesRateInCallOrder() {
        transport.autoAccept = false;
        connect(options().publishesPerSecond(3).build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        for (int i = 0; i < 7; i++) {
            client.publish(ROOM, "m" + i);
        }
        long opened = System.nanoTime();
        a.future.complete(a);
        await().until(() -> a.countSent("publish") >= 3);
        // 3 per window: 3 at once, 3 once the first has left the window, the last one window later
        await().atMost(10, TimeUnit.SECONDS).until(() -> a.countSent("publish") == 7);
        assertThat(Duration.ofNanos(System.nanoTime() - opened)).isGreaterThanOrEqualTo(Duration.ofMillis(2 * PublishPacer.WINDOW_MILLIS));
        List<String> data = new java.util.ArrayList<>();
        for (int n = 1; n <= 7; n++) {
            data.add(a.awaitSent("publish", n).get("data").asText());
        }
        assertThat(data).containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6");
    }

    @Test
    void shouldNotReportTheEdgesRefusalOfAnUnsubscribeThatCrossedTheSubscriptionsEnd() {
        List<ClientError> errors = new CopyOnWriteArrayList<>();
        connect(options().errorListener(errors::add).build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        Subscription sub = client.subscribe(ROOM, From.latest(), new RecordingListener());
        JsonNode request = a.awaitSent("subscribe");
        sub.unsubscribe();
        JsonNode unsubscribe = a.awaitSent("unsubscribe");
        // the edge refused the subscribe before it read the unsubscribe, which then names no subscription
        a.push("{\"op\":\"error\",\"id\":" + request.get("id") + ",\"room\":\"" + ROOM + "\",\"code\":\"forbidden\",\"message\":\"no\"}");
        a.push("{\"op\":\"error\",\"id\":" + unsubscribe.get("id") + ",\"room\":\"" + ROOM
                + "\",\"code\":\"bad_request\",\"message\":\"not subscribed to " + ROOM + "\"}");
        // an error answering no request is still reported: it shows the two above were handled first
        a.push("{\"op\":\"error\",\"code\":\"internal\",\"message\":\"marker\"}");
        await().until(() -> !errors.isEmpty());
        assertThat(errors).extracting(ClientError::message).containsExactly("marker");
    }

    @Test
    void shouldStartNoSubscriptionCallbackOnceCloseHasReturned() throws Exception {
        connect(options().build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Long> started = new CopyOnWriteArrayList<>();
        client.subscribe(ROOM, From.earliest(), new SubscriptionListener() {
            @Override
            public void onEvent(RoomEvent event) {
                started.add(event.offset());
                inFirst.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        JsonNode request = a.awaitSent("subscribe");
        a.push(subscribed(request, "E", ",\"recovered\":true"));
        StringBuilder batch = new StringBuilder("[").append(event(1));
        for (long o = 2; o <= 50; o++) {
            batch.append(',').append(event(o));
        }
        a.push(batch.append(']').toString());
        assertThat(inFirst.await(5, TimeUnit.SECONDS)).isTrue();
        // 49 events wait behind the listener's first call; close() returns while it still runs
        Thread closer = new Thread(client::close);
        closer.start();
        await().until(() -> client.state() == ConnectionState.CLOSED);
        release.countDown();
        closer.join(10_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(started).containsExactly(1L);
    }

    @Test
    void shouldCloseAnOpenConnectionWithNormalClosure() {
        connect(options().build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        await().until(() -> client.state() == ConnectionState.OPEN);
        client.close();
        assertThat(a.closedWith).isEqualTo(1000);
        assertThat(transport.attempts).isEmpty();
    }

    @Test
    void shouldSendTheTokenInAnAuthFrameOnEveryAttemptAndNeverInTheUrl() {
        int[] n = {0};
        connect(options().tokenSupplier(() -> "t" + (++n[0])).build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        assertThat(a.awaitSent("auth").get("token").asText()).isEqualTo("t1");
        a.handler.onFailure(new IOException("x"));
        FakeTransport.FakeConnection b = transport.nextAttempt();
        assertThat(b.awaitSent("auth").get("token").asText()).isEqualTo("t2");
        assertThat(transport.uris).containsExactly(EDGE_A, EDGE_B);
    }

    @Test
    void shouldPutTheTokenInTheUrlOnlyWhenAskedTo() {
        connect(options().token("t1").tokenInUrl(true).build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        assertThat(a.uri).isEqualTo(URI.create("ws://edge-a:8080/ws?token=t1"));
        assertThat(a.awaitSent("auth").get("token").asText()).isEqualTo("t1");
    }

    @Test
    void shouldWaitForAuthedBeforeSubscribing() {
        connect(options().token("t1").build());
        client.subscribe(ROOM, From.earliest(), new RecordingListener());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        JsonNode auth = a.awaitSent("auth");
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2)).until(() -> a.countSent("subscribe") == 0);
        assertThat(client.state()).isEqualTo(ConnectionState.CONNECTING);
        a.push("{\"op\":\"authed\",\"id\":" + auth.get("id") + ",\"expiresAt\":-1}");
        a.awaitSent("subscribe");
        await().until(() -> client.state() == ConnectionState.OPEN);
    }

    @Test
    void shouldRefreshTheTokenBeforeItExpires() {
        int[] n = {0};
        connect(options().tokenSupplier(() -> "t" + (++n[0])).build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        JsonNode first = a.awaitSent("auth");
        assertThat(first.get("token").asText()).isEqualTo("t1");
        long expiresAt = clock.instant().toEpochMilli() + 1_500; // refreshed after 80 %: 1.2 s
        a.push("{\"op\":\"authed\",\"id\":" + first.get("id") + ",\"expiresAt\":" + expiresAt + "}");
        JsonNode refresh = a.awaitSent("auth", 2);
        assertThat(refresh.get("token").asText()).isEqualTo("t2");
        // an edge without authentication answers -1: nothing more is scheduled
        a.push("{\"op\":\"authed\",\"id\":" + refresh.get("id") + ",\"expiresAt\":-1}");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> a.countSent("auth") == 2);
    }

    @Test
    void shouldReconnectWithANewTokenAfter4401OnceATokenWasAcceptedAndStopOtherwise() {
        String[] token = {"old"};
        connect(options().tokenSupplier(() -> token[0]).build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        JsonNode auth = a.awaitSent("auth");
        a.push("{\"op\":\"authed\",\"id\":" + auth.get("id") + ",\"expiresAt\":-1}");
        await().until(() -> client.state() == ConnectionState.OPEN);
        token[0] = "new";
        a.handler.onClosed(4401, "unauthorized: expired");
        FakeTransport.FakeConnection b = transport.nextAttempt();
        assertThat(b.awaitSent("auth").get("token").asText()).isEqualTo("new");

        // refused before any token was accepted on this connection: the same supplier would be refused again
        b.handler.onClosed(4401, "unauthorized: bad_signature");
        await().until(() -> client.state() == ConnectionState.CLOSED);
    }

    @Test
    void shouldReportDroppedLiveEventsAsAGap() {
        connect(options().build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        RecordingListener rec = new RecordingListener();
        Subscription sub = client.subscribe(ROOM, From.latest(), DeliveryPolicy.LATEST_ONLY, rec);
        JsonNode s = a.awaitSent("subscribe");
        assertThat(s.get("policy").asText()).isEqualTo("latest-only");
        a.push(subscribed(s, "E", ""));
        a.push("[{\"op\":\"live\",\"room\":\"" + ROOM + "\",\"offset\":10}," + event(11)
                + ",{\"op\":\"dropped\",\"room\":\"" + ROOM + "\",\"count\":17,\"first\":12,\"last\":40}," + event(41) + "]");
        await().until(() -> rec.log.contains("event:41"));
        assertThat(rec.log).containsExactly("subscribed:E:true", "live:10", "event:11", "gap:dropped:11:41", "event:41");
        assertThat(sub.position()).contains(new Position(41, "E"));
    }

    @Test
    void shouldReportAListenerThatThrowsAndGoOnDelivering() {
        List<ClientError> errors = new CopyOnWriteArrayList<>();
        connect(options().errorListener(errors::add).build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        List<Long> seen = new CopyOnWriteArrayList<>();
        client.subscribe(ROOM, From.latest(), e -> {
            seen.add(e.offset());
            if (e.offset() == 11) {
                throw new IllegalStateException("app bug");
            }
        });
        JsonNode s = a.awaitSent("subscribe");
        a.push(subscribed(s, "E", ""));
        a.push("[" + event(11) + "," + event(12) + "]");
        await().until(() -> seen.size() == 2 && errors.size() == 1);
        assertThat(errors.get(0).code()).isEqualTo(ErrorCode.LISTENER);
        assertThat(errors.get(0).message()).contains("app bug");
    }

    @Test
    void shouldEndASubscriptionTheEdgeEndsWithARoomError() {
        connect(options().build());
        FakeTransport.FakeConnection a = transport.nextAttempt();
        RecordingListener rec = new RecordingListener();
        Subscription sub = client.subscribe(ROOM, From.earliest(), rec);
        JsonNode s = a.awaitSent("subscribe");
        a.push(subscribed(s, "E", ",\"recovered\":true"));
        a.push("{\"op\":\"error\",\"room\":\"" + ROOM + "\",\"code\":\"forbidden\",\"message\":\"token no longer allows it\"}");
        await().until(() -> rec.log.contains("error:forbidden"));
        assertThat(sub.isActive()).isFalse();
        a.push(event(5));
        await().until(() -> a.credits.get() > 0);
        assertThat(rec.log).containsExactly("subscribed:E:true", "error:forbidden");
    }

    private static ErrorCode codeOf(CompletableFuture<Long> f) {
        return errorOf(f).code();
    }

    private static ClientError errorOf(CompletableFuture<Long> f) {
        try {
            f.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RoomcastException r) {
                return r.error();
            }
            throw new AssertionError("unexpected failure", e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("future completed normally");
    }
}
