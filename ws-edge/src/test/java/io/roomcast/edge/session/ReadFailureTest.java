package io.roomcast.edge.session;

import io.roomcast.edge.protocol.CloseCode;
import io.undertow.websockets.core.WebSocketFrameCorruptedException;
import io.undertow.websockets.core.WebSocketInvalidCloseCodeException;
import io.undertow.websockets.core.WebSocketMessages;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** Review item 6: close codes by exception type, or by the message id from Undertow's own catalogue. */
class ReadFailureTest {

    @Test
    void shouldMapInvalidUtf8To1007() {
        assertThat(ReadFailure.closeCode(WebSocketMessages.MESSAGES.invalidTextFrameEncoding())).contains(CloseCode.INVALID_PAYLOAD);
    }

    @Test
    void shouldMapUndertowsMessageTooBigTo1009() {
        assertThat(ReadFailure.closeCode(new IOException(WebSocketMessages.MESSAGES.messageToBig(65536)))).contains(CloseCode.TOO_BIG);
    }

    @Test
    void shouldMapCorruptFramesTo1002() {
        assertThat(ReadFailure.closeCode(new WebSocketFrameCorruptedException("bad"))).contains(CloseCode.PROTOCOL_ERROR);
        assertThat(ReadFailure.closeCode(new WebSocketInvalidCloseCodeException("bad"))).contains(CloseCode.PROTOCOL_ERROR);
    }

    @Test
    void shouldLeaveOtherFailuresWithoutACode() {
        assertThat(ReadFailure.closeCode(new IOException("Connection reset by peer"))).isEmpty();
        assertThat(ReadFailure.closeCode(new IOException((String) null))).isEmpty();
        assertThat(ReadFailure.closeCode(new IOException("text mentions UTF and UT002003 but is something else"))).isEmpty();
    }
}
