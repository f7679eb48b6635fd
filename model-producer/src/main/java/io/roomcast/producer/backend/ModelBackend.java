package io.roomcast.producer.backend;

/**
 * A source of streamed answers (an OpenAI-compatible server, the simulated model).
 * Implementations are thread-safe: several generations stream at once.
 */
public interface ModelBackend extends AutoCloseable {

    /** The backend's name for logs, metrics and the circuit breaker, e.g. {@code openai}. */
    String name();

    /** The model used when a prompt names none. */
    String defaultModel();

    /**
     * Starts generating and returns at once; failures to connect or a refused request surface
     * through the stream's first {@link TokenStream#next()}. Never blocks on the network.
     */
    TokenStream open(GenerationRequest request);

    @Override
    default void close() {
    }
}
