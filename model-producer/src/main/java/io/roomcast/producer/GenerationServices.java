package io.roomcast.producer;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.roomcast.producer.backend.GuardedBackend;

/** What every generation shares within one producer process. */
record GenerationServices(
        ModelProducerConfig config,
        GuardedBackend backend,
        Bulkhead bulkhead,
        GenerationEvents events,
        PromptParser prompts,
        ConversationReader history,
        GenerationMonitor monitor) {
}
