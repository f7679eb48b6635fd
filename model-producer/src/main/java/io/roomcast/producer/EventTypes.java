package io.roomcast.producer;

import java.util.Set;

/** The room event types the model producer reads and writes (the record's {@code type} header). */
public final class EventTypes {
    /** Read: a user's prompt, {@code {"text": "...", "model": "...", "params": {...}}}. */
    public static final String PROMPT = "prompt";
    /** Read: stop a generation, {@code {"generationId": "..."}} or {@code {"promptOffset": N}}. */
    public static final String CANCEL = "cancel";
    public static final String STARTED = "generation.started";
    public static final String RESTARTED = "generation.restarted";
    public static final String TOKEN = "token";
    public static final String DONE = "generation.done";
    public static final String CANCELLED = "generation.cancelled";
    public static final String ERROR = "generation.error";
    /**
     * Written after the terminal event: the whole answer as one event, so that compacting readers
     * can show it in place of its tokens.
     */
    public static final String MESSAGE = "generation.message";
    /** An operational log line, in the log rooms. */
    public static final String LOG = "log";

    /** The types that end a generation: exactly one of them per generation id. */
    public static final Set<String> TERMINAL = Set.of(DONE, CANCELLED, ERROR);

    private EventTypes() {
    }
}
