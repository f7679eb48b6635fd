package io.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientCloseCodesTest {

    @ParameterizedTest(name = "close {0} -> {1} ({2})")
    @CsvSource({
            "1000, STOP, CLOSED",
            "1001, RECONNECT, CONNECTION_LOST",
            "1002, STOP, PROTOCOL",
            "1003, STOP, PROTOCOL",
            "1005, RECONNECT, CONNECTION_LOST",
            "1006, RECONNECT, CONNECTION_LOST",
            "1007, STOP, PROTOCOL",
            "1008, STOP, FORBIDDEN",
            "1009, STOP, TOO_LARGE",
            "1011, RECONNECT, CONNECTION_LOST",
            "1012, RECONNECT, CONNECTION_LOST",
            "3000, RECONNECT, CONNECTION_LOST",
            "4000, RECONNECT, CONNECTION_LOST",
            "4001, RECONNECT, CONNECTION_LOST",
            "4029, RECONNECT, RATE_LIMITED",
            "4399, RECONNECT, CONNECTION_LOST",
            "4400, STOP, CLOSED",
            "4401, RECONNECT_WITH_NEW_TOKEN, UNAUTHORIZED",
            "4999, STOP, CLOSED"})
    void shouldClassifyCloseCodes(int code, CloseCodes.Action action, ErrorCode error) {
        assertThat(CloseCodes.classify(code)).isEqualTo(action);
        ClientError e = CloseCodes.error(code, "why");
        assertThat(e.code()).isEqualTo(error);
        assertThat(e.message()).contains(String.valueOf(code)).contains("why");
    }
}
