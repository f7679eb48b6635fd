package io.roomcast.bench.target;

/** Where the benchmark publishes events into a system under test. */
public interface EventSink extends AutoCloseable {
    /** Publishes {@code data} (a JSON object) into {@code room}; may return before the system has it. */
    void publish(String room, byte[] data);

    /** Returns once every event published so far has been taken by the system (Kafka acked, or the server answered a sync). */
    void sync();

    @Override
    void close();
}
