package io.roomcast.client;

import static io.roomcast.client.ConnectionState.CLOSED;
import static io.roomcast.client.ConnectionState.CONNECTING;
import static io.roomcast.client.ConnectionState.OPEN;
import static io.roomcast.client.ConnectionState.RECONNECTING;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientStateMachineTest {

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
            "CONNECTING, CONNECTING, false",
            "CONNECTING, OPEN, true",
            "CONNECTING, RECONNECTING, false",
            "CONNECTING, CLOSED, true",
            "OPEN, CONNECTING, false",
            "OPEN, OPEN, false",
            "OPEN, RECONNECTING, true",
            "OPEN, CLOSED, true",
            "RECONNECTING, CONNECTING, false",
            "RECONNECTING, OPEN, true",
            "RECONNECTING, RECONNECTING, false",
            "RECONNECTING, CLOSED, true",
            "CLOSED, CONNECTING, false",
            "CLOSED, OPEN, false",
            "CLOSED, RECONNECTING, false",
            "CLOSED, CLOSED, false"})
    void shouldAllowOnlyTheDocumentedTransitions(ConnectionState from, ConnectionState to, boolean allowed) {
        assertThat(ConnectionStateMachine.allowed(from, to)).isEqualTo(allowed);
    }

    @Test
    void shouldReportChangesAndRefuseEverythingAfterClosed() {
        ConnectionStateMachine machine = new ConnectionStateMachine();
        URI edge = URI.create("ws://a/ws");
        assertThat(machine.current()).isEqualTo(CONNECTING);
        assertThat(machine.moveTo(OPEN, edge, null)).isEqualTo(new StateChange(CONNECTING, OPEN, edge, null));
        ClientError lost = new ClientError(ErrorCode.CONNECTION_LOST, "gone", null);
        assertThat(machine.moveTo(RECONNECTING, null, lost)).isEqualTo(new StateChange(OPEN, RECONNECTING, null, lost));
        assertThat(machine.moveTo(RECONNECTING, null, lost)).isNull();
        assertThat(machine.moveTo(OPEN, edge, null).previous()).isEqualTo(RECONNECTING);
        assertThat(machine.moveTo(CLOSED, null, null).current()).isEqualTo(CLOSED);
        assertThat(machine.moveTo(OPEN, edge, null)).isNull();
        assertThat(machine.moveTo(CLOSED, null, null)).isNull();
        assertThat(machine.current()).isEqualTo(CLOSED);
    }
}
