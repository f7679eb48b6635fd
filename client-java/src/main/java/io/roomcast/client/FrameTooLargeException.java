package io.roomcast.client;

import java.io.IOException;

/** The edge sent a text frame larger than {@link ClientOptions#maxInboundFrameChars()}. */
final class FrameTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    FrameTooLargeException(int limit) {
        super("edge sent a frame of more than " + limit + " characters");
    }
}
