package io.roomcast.edge.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roomcast.edge.limit.RateLimit;
import io.roomcast.edge.protocol.ClientFrame;
import io.roomcast.edge.protocol.FrameParser;
import io.roomcast.position.StartPoint;
import io.roomcast.room.RoomName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RequestsTest {
    private static final RoomName ROOM = RoomName.of("chat:a");
    private static final JsonNode ID = IntNode.valueOf(7);

    private final RecordingSink sink = new RecordingSink();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicInteger closes = new AtomicInteger();
    private final List<String> routed = new ArrayList<>();

    private Requests requests(int framesPerSecond, int publishesPerSecond, int strikes) {
        // The rate limits' clock never moves, so their one-second window never refills.
        Answers answers = new Answers("s1", sink, new SessionMetrics(meters, () -> false), strikes, closes::incrementAndGet);
        return new Requests(new RateLimit(framesPerSecond, () -> 0), new RateLimit(publishesPerSecond, () -> 0), answers,
                new Requests.Handler() {
                    @Override
                    public void subscribe(ClientFrame.Subscribe s) {
                        routed.add("subscribe " + s.room());
                    }

                    @Override
                    public void unsubscribe(ClientFrame.Unsubscribe u) {
                        routed.add("unsubscribe " + u.room());
                    }

                    @Override
                    public void publish(ClientFrame.Publish p) {
                        routed.add("publish " + p.room());
                    }

                    @Override
                    public void publishEphemeral(ClientFrame.Publish p) {
                        routed.add("ephemeral " + p.room());
                    }

                    @Override
                    public void presence(ClientFrame.Presence q) {
                        routed.add("presence " + q.room());
                    }

                    @Override
                    public void auth(ClientFrame.Auth a) {
                        routed.add("auth " + a.token());
                    }
                });
    }

    private static ClientFrame.Publish publish(boolean ephemeral) {
        return new ClientFrame.Publish(ID, ROOM, "message", new byte[]{'1'}, null, false, ephemeral, null);
    }

    @Test
    void shouldRouteEachOpToItsHandler() {
        Requests requests = requests(100, 100, 3);
        requests.handle(new ClientFrame.Subscribe(ID, ROOM, new StartPoint.Latest(), null));
        requests.handle(new ClientFrame.Unsubscribe(ID, ROOM));
        requests.handle(publish(false));
        requests.handle(publish(true));
        requests.handle(new ClientFrame.Presence(ID, ROOM));
        requests.handle(new ClientFrame.Auth(ID, "t0ken"));
        assertThat(routed).containsExactly("subscribe chat:a", "unsubscribe chat:a", "publish chat:a", "ephemeral chat:a",
                "presence chat:a", "auth t0ken");
        assertThat(sink.frames()).isEmpty();
    }

    @Test
    void shouldAnswerPingWithPong() {
        requests(100, 100, 3).handle(new ClientFrame.Ping(ID));
        assertThat(sink.only().get("op").asText()).isEqualTo("pong");
        assertThat(sink.only().get("id").asInt()).isEqualTo(7);
        assertThat(routed).isEmpty();
    }

    @Test
    void shouldAnswerAnUnknownOpWithBadRequest() {
        Requests requests = requests(100, 100, 3);
        new FrameParser().parse("{\"op\":\"frobnicate\",\"id\":7}").forEach(requests::handle);
        assertThat(sink.only().get("op").asText()).isEqualTo("error");
        assertThat(sink.only().get("code").asText()).isEqualTo("bad_request");
        assertThat(sink.only().get("id").asInt()).isEqualTo(7);
        assertThat(sink.only().get("message").asText()).contains("unknown op");
        assertThat(routed).isEmpty();
        assertThat(meters.get("roomcast.errors").tag("code", "bad_request").counter().count()).isEqualTo(1);
    }

    @Test
    void shouldAnswerGarbageWithBadRequest() {
        Requests requests = requests(100, 100, 3);
        new FrameParser().parse("{\"op\":\u0000]]").forEach(requests::handle);
        assertThat(sink.only().get("code").asText()).isEqualTo("bad_request");
        assertThat(routed).isEmpty();
    }

    @Test
    void shouldAnswerRequestsOverTheFrameLimitWithRateLimited() {
        Requests requests = requests(2, 100, 3);
        requests.handle(new ClientFrame.Unsubscribe(ID, ROOM));
        requests.handle(new ClientFrame.Unsubscribe(ID, ROOM));
        requests.handle(new ClientFrame.Subscribe(ID, ROOM, new StartPoint.Latest(), null));
        assertThat(routed).containsExactly("unsubscribe chat:a", "unsubscribe chat:a");
        assertThat(sink.only().get("code").asText()).isEqualTo("rate_limited");
        assertThat(sink.only().get("id").asInt()).isEqualTo(7);
        assertThat(closes).hasValue(0);
    }

    @Test
    void shouldAnswerDurablePublishesOverThePublishLimitButNotEphemeralOnes() {
        Requests requests = requests(100, 1, 3);
        requests.handle(publish(false));
        requests.handle(publish(false));
        requests.handle(publish(true));
        requests.handle(publish(true));
        assertThat(routed).containsExactly("publish chat:a", "ephemeral chat:a", "ephemeral chat:a");
        assertThat(sink.only().get("code").asText()).isEqualTo("rate_limited");
        assertThat(sink.only().get("message").asText()).contains("publishes");
    }

    @Test
    void shouldCloseAConnectionThatKeepsExceedingItsLimitsInsteadOfAnsweringIt() {
        Requests requests = requests(1, 100, 2);
        for (int i = 0; i < 5; i++) {
            requests.handle(new ClientFrame.Ping(ID));
        }
        // One pong, two rate_limited answers (the strikes), then the connection is closed.
        assertThat(sink.frames()).extracting(f -> f.get("op").asText()).containsExactly("pong", "error", "error");
        assertThat(closes.get()).isGreaterThanOrEqualTo(1);
    }
}
