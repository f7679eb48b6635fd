package io.roomcast.position;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Review item 5: positions are bounded, so {@code after + 1} cannot overflow in {@link ResumePlanner}. */
class StartPointTest {
    private static final Epoch E = new Epoch("E");

    @Test
    void shouldRefuseOffsetsAndTimesOutOfRange() {
        assertThatThrownBy(() -> new StartPoint.After(Long.MAX_VALUE, E)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StartPoint.After(StartPoint.MAX_POSITION + 1, E)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StartPoint.After(-2, E)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StartPoint.Time(Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldPlanTheLargestPositionWithoutOverflow() {
        var plan = ResumePlanner.after(new StartPoint.After(StartPoint.MAX_POSITION, E), E, new LogBounds(0, 100));
        assertThat(plan.recovered()).isFalse();
        assertThat(plan.gap().reason()).isEqualTo(Gap.Reason.UNKNOWN_POSITION);
    }
}
