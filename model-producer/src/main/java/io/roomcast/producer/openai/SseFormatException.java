package io.roomcast.producer.openai;

import java.io.IOException;

/** The event stream broke a limit (a line or an event too long). */
public final class SseFormatException extends IOException {
    public SseFormatException(String message) {
        super(message);
    }
}
