package io.roomcast.topic;

/** Kafka did not answer in time or refused the request; the operation did not happen. */
public final class KafkaUnavailableException extends RuntimeException {
    public KafkaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
