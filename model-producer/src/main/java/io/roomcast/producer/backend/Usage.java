package io.roomcast.producer.backend;

/**
 * Token counts of one generation as the backend reported them; a count the backend did not
 * report is {@link #UNKNOWN}.
 */
public record Usage(int promptTokens, int completionTokens) {
    public static final int UNKNOWN = -1;

    public static Usage unknown() {
        return new Usage(UNKNOWN, UNKNOWN);
    }
}
