package io.roomcast.position;

/**
 * Why a requested position could not be resumed exactly, and from which offset the room is
 * delivered completely again.
 */
public record Gap(Reason reason, long after, long resumeAt) {
    public enum Reason {
        /** The events after the position were deleted by Kafka's retention. */
        RETENTION("retention"),
        /** The position belongs to another history (topic re-created or re-partitioned). */
        EPOCH("epoch"),
        /** The position lies beyond the end of the partition. */
        UNKNOWN_POSITION("unknown_position");

        private final String wire;

        Reason(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }
}
