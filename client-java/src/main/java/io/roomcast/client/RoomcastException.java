package io.roomcast.client;

/**
 * A failed client operation, carrying the catalogued {@link ErrorCode}. Publish futures fail with it (wrapped in a
 * {@link java.util.concurrent.CompletionException} when read through {@code join()}).
 */
public final class RoomcastException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ClientError error;

    public RoomcastException(ClientError error) {
        super(error.code().wireName() + ": " + error.message());
        this.error = error;
    }

    public RoomcastException(ErrorCode code, String message) {
        this(new ClientError(code, message, null));
    }

    public ErrorCode code() {
        return error.code();
    }

    public ClientError error() {
        return error;
    }
}
