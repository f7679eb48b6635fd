package io.roomcast.producer;

/** What the room's log says about earlier attempts at a generation (before a takeover). */
public enum PriorAttempt {
    /** No event of this generation: answer normally. */
    NONE,
    /** Started (or restarted) but never ended: announce {@code generation.restarted} and answer again. */
    UNFINISHED,
    /** Already ended with a terminal event: the prompt is answered, do nothing. */
    FINISHED
}
