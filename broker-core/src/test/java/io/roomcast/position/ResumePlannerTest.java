package io.roomcast.position;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ResumePlannerTest {
    private static final Epoch E = new Epoch("E");
    private static final Epoch OTHER = new Epoch("E2");

    @ParameterizedTest(name = "after {0} in {1}, log [{2},{3}) -> from {4} recovered {5} gap {6}")
    @CsvSource({
            // after, epoch, logStart, handover, readFrom, recovered, gap
            "41,   E,  0,   100, 42,  true,  ",
            "99,   E,  0,   100, 100, true,  ",
            "-1,   E,  0,   100, 0,   true,  ",
            "41,   E,  42,  100, 42,  true,  ",
            "40,   E,  42,  100, 42,  false, retention",
            "41,   E2, 0,   100, 0,   false, epoch",
            "41,   E2, 50,  100, 50,  false, epoch",
            "100,  E,  0,   100, 100, false, unknown_position",
            "5000, E,  0,   100, 100, false, unknown_position",
            "41,   E,  980, 1000, 980, false, retention",
    })
    void shouldPlanAResumeExactlyOrWithAnExplicitGap(long after, String epoch, long logStart, long handover,
                                                      long readFrom, boolean recovered, String gap) {
        ResumePlan plan = ResumePlanner.after(new StartPoint.After(after, new Epoch(epoch)), E, new LogBounds(logStart, handover));

        assertThat(plan.readFrom()).isEqualTo(readFrom);
        assertThat(plan.recovered()).isEqualTo(recovered);
        if (gap == null) {
            assertThat(plan.gap()).isNull();
        } else {
            assertThat(plan.gap().reason().wire()).isEqualTo(gap);
            assertThat(plan.gap().after()).isEqualTo(after);
            assertThat(plan.gap().resumeAt()).isEqualTo(readFrom);
        }
    }

    @ParameterizedTest(name = "after {0} with cache from {1}, handover {2} -> {3}")
    @CsvSource({
            "41, 42, 100, true",
            "41, 30, 100, true",
            "41, 43, 100, false",
            "99, 100, 100, true",
            "100, 0, 100, false",
    })
    void shouldServeFromTheCacheOnlyWhenItCoversThePosition(long after, long coversFrom, long handover, boolean servable) {
        assertThat(ResumePlanner.servableFromCache(new StartPoint.After(after, E), E, coversFrom, handover)).isEqualTo(servable);
        assertThat(ResumePlanner.servableFromCache(new StartPoint.After(after, OTHER), E, coversFrom, handover)).isFalse();
    }

    @ParameterizedTest(name = "after {0} with L {1}, log end {2} -> from {3} recovered {4}")
    @CsvSource({
            // after, handover, log end (the lookup's answer), readFrom, recovered
            "100, 100, 150, 101, true",   // the log holds 100: another edge delivered it while this tail is behind
            "149, 100, 150, 150, true",
            "150, 100, 150, 100, false",  // not in the log: an unknown position, resumed at L
            "5000, 100, 150, 100, false",
            "100, 100, 100, 100, false",
    })
    void shouldAskTheLogsEndForAResumeBeyondTheLiveTail(long after, long handover, long logEnd, long readFrom, boolean recovered) {
        StartPoint.After from = new StartPoint.After(after, E);
        assertThat(ResumePlanner.start(from, E, handover, handover, java.util.List.of())).isEqualTo(new ResumePlanner.Lookup.LogEnd());
        ResumePlan plan = ResumePlanner.withLookup(from, E, handover, logEnd);
        assertThat(plan.readFrom()).isEqualTo(readFrom);
        assertThat(plan.recovered()).isEqualTo(recovered);
        if (!recovered) {
            assertThat(plan.gap().reason()).isEqualTo(Gap.Reason.UNKNOWN_POSITION);
        }
        // In another epoch the log's start decides, as before.
        assertThat(ResumePlanner.start(new StartPoint.After(after, OTHER), E, handover, handover, java.util.List.of()))
                .isEqualTo(new ResumePlanner.Lookup.LogStart());
    }
}
