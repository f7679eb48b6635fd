package io.roomcast.history;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackwardWindowsTest {

    @Test
    void shouldGrowWindowsTowardsTheLogStartAndStopThere() {
        BackwardWindows windows = new BackwardWindows(1000, 100, 100, 2, 10_000, Long.MAX_VALUE);
        assertThat(all(windows)).containsExactly(new BackwardWindows.Window(900, 1000), new BackwardWindows.Window(700, 900),
                new BackwardWindows.Window(300, 700), new BackwardWindows.Window(100, 300));
        assertThat(windows.reached()).isEqualTo(100);
    }

    @Test
    void shouldCapWindowsAndCutTheLastOneToTheBudget() {
        BackwardWindows windows = new BackwardWindows(10_000, 0, 100, 4, 300, 750);
        assertThat(all(windows)).containsExactly(new BackwardWindows.Window(9900, 10_000), new BackwardWindows.Window(9600, 9900),
                new BackwardWindows.Window(9300, 9600), new BackwardWindows.Window(9250, 9300));
        assertThat(windows.reached()).isEqualTo(9250);
    }

    @Test
    void shouldHaveNoWindowAtTheLogStartOrWithoutBudget() {
        assertThat(new BackwardWindows(50, 50, 10, 2, 10, 100).hasNext()).isFalse();
        assertThat(new BackwardWindows(50, 60, 10, 2, 10, 100).reached()).isEqualTo(60);
        assertThat(new BackwardWindows(50, 0, 10, 2, 10, 0).hasNext()).isFalse();
        assertThatThrownBy(() -> new BackwardWindows(50, 0, 10, 2, 10, 0).next()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new BackwardWindows(50, 0, 0, 2, 10, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<BackwardWindows.Window> all(BackwardWindows windows) {
        List<BackwardWindows.Window> out = new ArrayList<>();
        while (windows.hasNext()) {
            out.add(windows.next());
        }
        return out;
    }
}
