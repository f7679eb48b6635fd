package io.roomcast.edge.session;

import com.fasterxml.jackson.databind.node.IntNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roomcast.edge.Backbone;
import io.roomcast.edge.EdgeConfig;
import io.roomcast.edge.auth.AuthConfig;
import io.roomcast.edge.auth.EdgeSecurity;
import io.roomcast.edge.protocol.ClientFrame;
import io.roomcast.position.StartPoint;
import io.roomcast.room.Namespace;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The subscribe and unsubscribe checks that answer on the IO thread, before any Kafka work, and the
 * room lookups on the worker that fail: the worker only queues tasks until a test runs them, topics
 * come from a fixed map, and no other Kafka-side service exists.
 */
class SessionSubscriptionsTest {
    private final RecordingSink sink = new RecordingSink();
    private final QueuedWorker worker = new QueuedWorker();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final FixedTopics topics = new FixedTopics(Namespaces.of(new Namespace("chat", "roomcast.chat", 4, Duration.ofDays(1), 50)));
    private final SessionSubscriptions subscriptions;

    SessionSubscriptionsTest() {
        EdgeConfig config = EdgeConfig.builder("unused:9092").maxSubscriptionsPerConnection(2).build();
        Backbone backbone = new Backbone(topics, null, null, null, null, null, worker, EdgeSecurity.of(AuthConfig.ofDefaults()), config,
                meters, null, null, null, null);
        SessionMetrics metrics = new SessionMetrics(meters, () -> false);
        subscriptions = new SessionSubscriptions("s1", "/127.0.0.1:5000", backbone, sink,
                new Answers("s1", sink, metrics, 3, () -> closed.set(true)), metrics, null, null, () -> null, closed::get);
    }

    private static ClientFrame.Subscribe subscribe(String room) {
        return new ClientFrame.Subscribe(IntNode.valueOf(1), RoomName.of(room), new StartPoint.Latest(), null);
    }

    @Test
    void shouldAnswerAnUnsubscribeFromARoomNotSubscribedWithBadRequest() {
        subscriptions.unsubscribe(new ClientFrame.Unsubscribe(IntNode.valueOf(4), RoomName.of("chat:a")));
        assertThat(sink.only().get("code").asText()).isEqualTo("bad_request");
        assertThat(sink.only().get("room").asText()).isEqualTo("chat:a");
        assertThat(sink.only().get("message").asText()).isEqualTo("not subscribed to chat:a");
        assertThat(worker.queued()).isZero();
    }

    @Test
    void shouldAnswerSubscriptionsBeyondTheLimitWithLimitExceeded() {
        subscriptions.subscribe(subscribe("chat:a"));
        subscriptions.subscribe(subscribe("chat:b"));
        subscriptions.subscribe(subscribe("chat:c"));
        assertThat(worker.queued()).as("the first two go on to locate their rooms").isEqualTo(2);
        assertThat(subscriptions.count()).isEqualTo(2);
        assertThat(sink.only().get("code").asText()).isEqualTo("limit_exceeded");
        assertThat(sink.only().get("room").asText()).isEqualTo("chat:c");
    }

    @Test
    void shouldAnswerASecondSubscriptionToTheSameRoomWithBadRequest() {
        subscriptions.subscribe(subscribe("chat:a"));
        subscriptions.subscribe(subscribe("chat:a"));
        assertThat(worker.queued()).isEqualTo(1);
        assertThat(sink.only().get("code").asText()).isEqualTo("bad_request");
        assertThat(sink.only().get("message").asText()).isEqualTo("already subscribed to chat:a");
    }

    @Test
    void shouldFreeTheRoomWhenTheWorkerIsFull() {
        worker.full(true);
        subscriptions.subscribe(subscribe("chat:a"));
        assertThat(sink.only().get("code").asText()).isEqualTo("unavailable");
        assertThat(sink.only().get("message").asText()).isEqualTo("edge is overloaded; retry");
        assertThat(subscriptions.count()).isZero();
        worker.full(false);
        subscriptions.subscribe(subscribe("chat:a"));
        assertThat(worker.queued()).isEqualTo(1);
    }

    @Test
    void shouldAnswerAnUnsubscribeOnceTheSubscriptionIsGone() {
        subscriptions.subscribe(subscribe("chat:a"));
        subscriptions.unsubscribe(new ClientFrame.Unsubscribe(IntNode.valueOf(2), RoomName.of("chat:a")));
        assertThat(subscriptions.count()).isZero();
        subscriptions.unsubscribe(new ClientFrame.Unsubscribe(IntNode.valueOf(3), RoomName.of("chat:a")));
        assertThat(sink.only().get("message").asText()).isEqualTo("not subscribed to chat:a");
    }

    @Test
    void shouldAnswerARoomOfNoNamespaceWithBadRequestOnceTheWorkerLooksItUp() {
        subscriptions.subscribe(subscribe("nowhere:a"));
        assertThat(sink.frames()).as("the namespace is looked up on the worker, not the IO thread").isEmpty();
        worker.runAll();
        assertThat(sink.only().get("code").asText()).isEqualTo("bad_request");
        assertThat(sink.only().get("room").asText()).isEqualTo("nowhere:a");
        assertThat(subscriptions.count()).isZero();
    }

    @Test
    void shouldAnswerUnavailableAndFreeTheRoomWhenKafkaDoesNotAnswer() {
        topics.down(true);
        subscriptions.subscribe(subscribe("chat:a"));
        worker.runAll();
        assertThat(topics.lookups()).isEqualTo(1);
        assertThat(sink.only().get("code").asText()).isEqualTo("unavailable");
        assertThat(sink.only().get("message").asText()).isEqualTo("Kafka is unavailable; retry");
        assertThat(subscriptions.count()).as("the room is free for a retry").isZero();
        topics.down(false);
        subscriptions.subscribe(subscribe("chat:a"));
        assertThat(worker.queued()).isEqualTo(1);
        assertThat(subscriptions.count()).isEqualTo(1);
    }
}
