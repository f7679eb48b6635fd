package io.roomcast.position;

import io.roomcast.position.ResumePlanner.Lookup;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** All five start forms, table by table: what is planned at once, what needs which lookup, and the plan after it. */
class ResumePlannerStartTest {
    private static final Epoch E = new Epoch("E");
    private static final long L = 100;
    /** The cache holds every event of the room from 60 up to L: 61, 70, 80, 90. */
    private static final long COVERS = 60;
    private static final List<Long> CACHED = List.of(61L, 70L, 80L, 90L);

    private static Lookup start(StartPoint from) {
        return ResumePlanner.start(from, E, L, COVERS, CACHED);
    }

    @Test
    void shouldPlanLatestAsLiveAtTheHandover() {
        assertThat(start(StartPoint.LATEST)).isEqualTo(new Lookup.Done(ResumePlan.live(L)));
    }

    @Test
    void shouldServeAResumeInsideTheCacheWithoutTheLog() {
        assertThat(start(new StartPoint.After(61, E))).isEqualTo(new Lookup.Done(ResumePlan.complete(62)));
        assertThat(start(new StartPoint.After(59, E))).isEqualTo(new Lookup.Done(ResumePlan.complete(60)));
    }

    @Test
    void shouldAskTheLogStartForAResumeBeyondTheCacheOrInAnotherEpochAndTheLogEndForOneBeyondTheTail() {
        assertThat(start(new StartPoint.After(10, E))).isEqualTo(new Lookup.LogStart());
        assertThat(start(new StartPoint.After(70, new Epoch("old")))).isEqualTo(new Lookup.LogStart());
        assertThat(start(new StartPoint.After(L, E))).isEqualTo(new Lookup.LogEnd());
        assertThat(ResumePlanner.withLookup(new StartPoint.After(10, E), E, L, 0)).isEqualTo(ResumePlan.complete(11));
        assertThat(ResumePlanner.withLookup(new StartPoint.After(10, E), E, L, 50).gap().reason()).isEqualTo(Gap.Reason.RETENTION);
        assertThat(ResumePlanner.withLookup(new StartPoint.After(70, new Epoch("old")), E, L, 0).gap().reason())
                .isEqualTo(Gap.Reason.EPOCH);
        assertThat(ResumePlanner.withLookup(new StartPoint.After(L, E), E, L, 0).gap().reason()).isEqualTo(Gap.Reason.UNKNOWN_POSITION);
    }

    @Test
    void shouldStartEarliestAtTheLogStartButNeverBeyondTheHandover() {
        assertThat(start(StartPoint.EARLIEST)).isEqualTo(new Lookup.LogStart());
        assertThat(ResumePlanner.withLookup(StartPoint.EARLIEST, E, L, 30)).isEqualTo(ResumePlan.complete(30));
        assertThat(ResumePlanner.withLookup(StartPoint.EARLIEST, E, L, 120)).isEqualTo(ResumePlan.complete(L));
    }

    @Test
    void shouldServeLastNFromTheCacheWhenItHoldsThemElseScan() {
        assertThat(start(new StartPoint.Last(2))).isEqualTo(new Lookup.Done(ResumePlan.complete(80)));
        assertThat(start(new StartPoint.Last(4))).isEqualTo(new Lookup.Done(ResumePlan.complete(61)));
        assertThat(start(new StartPoint.Last(5))).isEqualTo(new Lookup.StartOfLast(5));
        assertThat(ResumePlanner.withLookup(new StartPoint.Last(5), E, L, 12)).isEqualTo(ResumePlan.complete(12));
    }

    @Test
    void shouldLookUpTheTimeAndTreatAFutureTimeAsLive() {
        assertThat(start(new StartPoint.Time(1_000))).isEqualTo(new Lookup.OffsetForTime(1_000));
        assertThat(ResumePlanner.withLookup(new StartPoint.Time(1_000), E, L, 42)).isEqualTo(ResumePlan.complete(42));
        // no record at or after the time: the log's end, which may be beyond L; delivery starts at L
        assertThat(ResumePlanner.withLookup(new StartPoint.Time(1_000), E, L, 130)).isEqualTo(ResumePlan.complete(L));
    }
}
