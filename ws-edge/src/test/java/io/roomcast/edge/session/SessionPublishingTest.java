package io.roomcast.edge.session;

import com.fasterxml.jackson.databind.node.IntNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roomcast.edge.Backbone;
import io.roomcast.edge.EdgeConfig;
import io.roomcast.edge.auth.AuthConfig;
import io.roomcast.edge.auth.EdgeSecurity;
import io.roomcast.edge.protocol.ClientFrame;
import io.roomcast.edge.publish.FakePublisher;
import io.roomcast.edge.publish.PublishSettings;
import io.roomcast.edge.publish.Publishing;
import io.roomcast.edge.publish.RecentPublishes;
import io.roomcast.publish.PublishException;
import io.roomcast.publish.PublishLookup;
import io.roomcast.room.RoomName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** One connection's publishes, with a fake publisher and a worker the test runs by hand: no Kafka. */
class SessionPublishingTest {
    private final RecordingSink sink = new RecordingSink();
    private final QueuedWorker worker = new QueuedWorker();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final FakePublisher publisher = new FakePublisher();
    private final Publishing publishing = new Publishing(publisher, null,
            new PublishLookup("127.0.0.1:9", Map.of(), new PublishLookup.Limits(10, 10_000, 10), meters),
            new RecentPublishes(100, Duration.ofMinutes(1), Clock.systemUTC(), meters), PublishSettings.defaults(),
            Duration.ofMinutes(1), worker, Clock.systemUTC(), meters);
    private final SessionPublishing session;

    SessionPublishingTest() {
        EdgeConfig config = EdgeConfig.builder("unused:9092").maxPayloadBytes(16).build();
        Backbone backbone = new Backbone(null, null, null, null, publisher, publishing, worker, EdgeSecurity.of(AuthConfig.ofDefaults()),
                config, meters, null, null, null, null);
        SessionMetrics metrics = new SessionMetrics(meters, () -> false);
        session = new SessionPublishing("s1", "/127.0.0.1:5000", backbone, new Answers("s1", sink, metrics, 3, () -> { }), metrics, null,
                () -> null);
    }

    @AfterEach
    void close() {
        publishing.close();
    }

    private static ClientFrame.Publish publish(String room, String type, int bytes) {
        return new ClientFrame.Publish(IntNode.valueOf(3), RoomName.of(room), type, new byte[bytes], null, false);
    }

    @Test
    void shouldWriteOnTheWorkerAndAnswerWithTheOffset() {
        session.publish(publish("chat:a", "message", 4));
        assertThat(publisher.sends()).as("nothing is sent on the IO thread").isEmpty();
        worker.runAll();
        assertThat(publisher.sends()).hasSize(1);
        publisher.sends().get(0).written().complete(12L);
        assertThat(sink.only().get("op").asText()).isEqualTo("ack");
        assertThat(sink.only().get("offset").asLong()).isEqualTo(12);
        assertThat(sink.only().get("id").asInt()).isEqualTo(3);
    }

    @Test
    void shouldAnswerAFailedWriteWithItsCode() {
        session.publish(publish("chat:a", "message", 4));
        worker.runAll();
        publisher.sends().get(0).written().completeExceptionally(
                new PublishException(PublishException.Reason.UNAVAILABLE, "Kafka is unavailable", null));
        assertThat(sink.only().get("op").asText()).isEqualTo("error");
        assertThat(sink.only().get("code").asText()).isEqualTo("unavailable");
    }

    @Test
    void shouldRefuseDataOverThePayloadLimitBeforeAnyWork() {
        session.publish(publish("chat:a", "message", 17));
        assertThat(sink.only().get("code").asText()).isEqualTo("too_large");
        assertThat(worker.queued()).isZero();
    }

    @Test
    void shouldRefuseReservedTypesAndReadOnlyRoomsBeforeAnyWork() {
        session.publish(publish("chat:a", "token", 1));
        session.publish(publish("sys:edges", "message", 1));
        assertThat(sink.frames()).extracting(f -> f.get("code").asText()).containsExactly("forbidden", "forbidden");
        assertThat(worker.queued()).isZero();
    }

    @Test
    void shouldAnswerOverloadedWhenTheWorkerIsFull() {
        worker.full(true);
        session.publish(publish("chat:a", "message", 1));
        assertThat(sink.only().get("code").asText()).isEqualTo("unavailable");
        assertThat(sink.only().get("room").asText()).isEqualTo("chat:a");
        assertThat(publisher.sends()).isEmpty();
    }

    @Test
    void shouldNameNoRoomWhenRefusingAPublishWithoutIdAsOverloaded() {
        worker.full(true);
        session.publish(new ClientFrame.Publish(null, RoomName.of("chat:a"), "message", new byte[1], null, false));
        assertThat(sink.only().get("code").asText()).isEqualTo("unavailable");
        assertThat(sink.only().has("room")).as("an error without id naming a room is a notice: the subscription ended").isFalse();
    }
}
