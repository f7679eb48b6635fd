package io.roomcast.position;

/**
 * The decision for one subscribe: deliver the room's events with offsets in
 * {@code [readFrom, handover)} from history, then switch to live.
 *
 * @param readFrom  the first offset to deliver (events of the room at or after it)
 * @param recovered whether the requested history is delivered completely; null for live-only
 * @param gap       why not, when {@code recovered} is false
 */
public record ResumePlan(long readFrom, Boolean recovered, Gap gap) {
    public static ResumePlan live(long handover) {
        return new ResumePlan(handover, null, null);
    }

    public static ResumePlan complete(long readFrom) {
        return new ResumePlan(readFrom, true, null);
    }

    public static ResumePlan gap(Gap gap) {
        return new ResumePlan(gap.resumeAt(), false, gap);
    }
}
