package io.roomcast.producer;

/** A prompt or cancel event that cannot be acted on; {@code code} is a {@link GenerationFailure} code. */
public final class InvalidEventException extends Exception {
    private final String code;

    public InvalidEventException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }

    public GenerationFailure failure() {
        return new GenerationFailure(code, getMessage());
    }
}
