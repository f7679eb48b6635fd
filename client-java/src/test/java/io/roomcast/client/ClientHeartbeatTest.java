package io.roomcast.client;

import static io.roomcast.client.Heartbeat.Action.DEAD;
import static io.roomcast.client.Heartbeat.Action.NONE;
import static io.roomcast.client.Heartbeat.Action.SEND_PING;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientHeartbeatTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private static Heartbeat opened() {
        Heartbeat hb = new Heartbeat(Duration.ofSeconds(30), Duration.ofSeconds(10));
        hb.opened(T0);
        return hb;
    }

    @ParameterizedTest(name = "{0} ms after open -> {1}")
    @CsvSource({"0, NONE", "29999, NONE", "30000, SEND_PING", "90000, SEND_PING"})
    void shouldPingEveryInterval(long ms, Heartbeat.Action expected) {
        assertThat(opened().tick(T0.plusMillis(ms), false)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} ms after ping, paused={1} -> {2}")
    @CsvSource({"0, false, NONE", "9999, false, NONE", "10000, false, DEAD", "10000, true, NONE", "60000, true, NONE"})
    void shouldDeclareTheConnectionDeadWithoutPong(long ms, boolean paused, Heartbeat.Action expected) {
        Heartbeat hb = opened();
        hb.pingSent(7, T0.plusSeconds(30));
        assertThat(hb.tick(T0.plusSeconds(30).plusMillis(ms), paused)).isEqualTo(expected);
    }

    @Test
    void shouldTakeAnyMessageAfterThePingAsASignOfLife() {
        Heartbeat hb = opened();
        Instant sent = T0.plusSeconds(30);
        hb.pingSent(7, sent);
        assertThat(hb.tick(sent.plusSeconds(10), false)).isEqualTo(DEAD);
        // An event of a long replay, with the pong still queued behind it at the edge: the connection is alive.
        hb.received();
        assertThat(hb.tick(sent.plusSeconds(10), false)).isEqualTo(NONE);
        assertThat(hb.tick(sent.plusSeconds(30), false)).isEqualTo(SEND_PING);
    }

    @Test
    void shouldDoNothingWhileStopped() {
        Heartbeat hb = opened();
        hb.pingSent(1, T0);
        hb.stopped();
        assertThat(hb.tick(T0.plusSeconds(3600), false)).isEqualTo(NONE);
    }

    @ParameterizedTest(name = "periods {0},{1},{2} ms -> tick {3} ms")
    @CsvSource({"30000, 10000, 10000, 1000", "200, 100, 10000, 25", "20, 20, 20, 10", "1000, 400, 800, 100"})
    void shouldTickOftenEnoughForTheShortestPeriod(long a, long b, long c, long expectedMs) {
        assertThat(Heartbeat.tickPeriod(Duration.ofMillis(a), Duration.ofMillis(b), Duration.ofMillis(c)))
                .isEqualTo(Duration.ofMillis(expectedMs));
    }
}
