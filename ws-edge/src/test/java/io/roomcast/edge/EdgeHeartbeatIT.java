package io.roomcast.edge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** WebSocket pings: a silent peer is closed after the heartbeat timeout; a live one stays. */
class EdgeHeartbeatIT {
    @RegisterExtension
    static final SharedEdge SHARED = SharedEdge.with(b -> b.pingInterval(Duration.ofMillis(200)).heartbeatTimeout(Duration.ofMillis(1500)));

    @Test
    void shouldCloseASilentPeerWith4001() throws Exception {
        try (RawSocket silent = new RawSocket(SHARED.edge().wsUrl())) {
            // RawSocket never answers pings and sends nothing.
            assertThat(silent.awaitCloseCode()).isEqualTo(4001);
        }
        assertThat(SHARED.edge().meters().counter("roomcast.connections.closed", "reason", "heartbeat_timeout").count()).isPositive();
    }

    @Test
    void shouldKeepAPeerThatAnswersPings() throws Exception {
        try (WsClient alive = WsClient.connect(SHARED.edge().wsUrl())) {
            // The JDK client answers every ping with a pong; wait past two heartbeat timeouts.
            assertThat(alive.poll(Duration.ofMillis(3500))).isNull();
            alive.send("{\"op\":\"ping\",\"id\":1}");
            assertThat(alive.nextOp("pong").path("id").asInt()).isEqualTo(1);
        }
    }
}
