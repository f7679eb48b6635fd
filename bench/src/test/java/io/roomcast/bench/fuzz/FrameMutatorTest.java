package io.roomcast.bench.fuzz;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FrameMutatorTest {

    @Test
    void shouldSendTheSameFramesForTheSameSeed() {
        FrameMutator a = new FrameMutator(7, "room", 65_536);
        FrameMutator b = new FrameMutator(7, "room", 65_536);
        for (int i = 0; i < 1_000; i++) {
            FrameMutator.Case x = a.next();
            FrameMutator.Case y = b.next();
            assertThat(x.kind()).isEqualTo(y.kind());
            assertThat(x.frames()).hasSameSizeAs(y.frames());
            for (int f = 0; f < x.frames().size(); f++) {
                assertThat(x.frames().get(f).payload()).isEqualTo(y.frames().get(f).payload());
            }
        }
    }

    @Test
    void shouldCoverEveryKindAndStayWithinAFrameOfTheLimit() {
        FrameMutator m = new FrameMutator(1, "room", 65_536);
        Set<FrameMutator.Kind> seen = EnumSet.noneOf(FrameMutator.Kind.class);
        for (int i = 0; i < 20_000; i++) {
            FrameMutator.Case c = m.next();
            seen.add(c.kind());
            c.frames().forEach(f -> assertThat(f.payload().length).isLessThanOrEqualTo(65_536 + 1024));
        }
        assertThat(seen).containsExactlyInAnyOrder(FrameMutator.Kind.values());
    }
}
