package io.roomcast.edge.session;

import io.roomcast.edge.protocol.CloseCode;
import io.undertow.websockets.core.WebSocketFrameCorruptedException;
import io.undertow.websockets.core.WebSocketInvalidCloseCodeException;

import java.io.UnsupportedEncodingException;
import java.util.Optional;

/**
 * The close code for a failure Undertow reports while reading a client's frames, decided by the
 * exception's type, or for the one failure Undertow reports only as a message, by its id in
 * Undertow's catalogue ({@code WebSocketMessages}): UT002040 "Message exceeded max message size".
 * Anything else (the peer reset the connection, say) has no code: the connection is simply gone.
 * Pure.
 */
public final class ReadFailure {
    /** Undertow's message id for a text message above {@code getMaxTextBufferSize()}. */
    static final String MESSAGE_TOO_BIG = "UT002040";

    private ReadFailure() {
    }

    public static Optional<CloseCode> closeCode(Throwable error) {
        if (error instanceof UnsupportedEncodingException) {
            return Optional.of(CloseCode.INVALID_PAYLOAD); // UT002003: text frame with invalid UTF-8
        }
        if (error instanceof WebSocketInvalidCloseCodeException || error instanceof WebSocketFrameCorruptedException) {
            return Optional.of(CloseCode.PROTOCOL_ERROR);
        }
        String message = error.getMessage();
        if (message != null && message.startsWith(MESSAGE_TOO_BIG)) {
            return Optional.of(CloseCode.TOO_BIG);
        }
        return Optional.empty();
    }
}
