package io.roomcast.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeSupervisorTest {

    /** Three nodes; the test says which are down. */
    private static final class FakeNodes implements NodeSupervisor.Nodes {
        final Set<Integer> down = new HashSet<>();
        final List<Integer> relaunched = new ArrayList<>();
        boolean closed;

        @Override
        public Set<Integer> nodeIds() {
            return Set.of(1, 2, 3);
        }

        @Override
        public boolean isRunning(int id) {
            return !down.contains(id);
        }

        @Override
        public boolean relaunch(int id) {
            if (closed) {
                return false;
            }
            relaunched.add(id);
            down.remove(id);
            return true;
        }

        @Override
        public Path logFile(int id) {
            return Path.of("data", "node-" + id + ".log");
        }
    }

    private final FakeNodes nodes = new FakeNodes();
    private final List<String> said = new ArrayList<>();
    private long now;
    private final NodeSupervisor supervisor = new NodeSupervisor(nodes, () -> now, said::add);

    private void after(Duration d) {
        now += d.toNanos();
        supervisor.check();
    }

    @Test
    void shouldStartANodeThatExitedAgainAfterTheFirstWait() {
        supervisor.check();
        assertThat(said).isEmpty();
        nodes.down.add(2);
        after(Duration.ofMillis(1));
        assertThat(said).containsExactly("Kafka node 2 exited; starting it again in 5 s (its log: data/node-2.log)");
        after(NodeSupervisor.FIRST_WAIT.minusMillis(1));
        assertThat(nodes.relaunched).isEmpty();
        after(Duration.ofMillis(1));
        assertThat(nodes.relaunched).containsExactly(2);
        assertThat(said).last().isEqualTo("Kafka node 2 started again");
    }

    @Test
    void shouldWaitTwiceAsLongEachTimeANodeKeepsExitingUpToTheMaximum() {
        List<Long> waits = new ArrayList<>();
        for (int crash = 0; crash < 6; crash++) {
            nodes.down.add(1);
            after(Duration.ofSeconds(1));
            long noticed = now;
            while (nodes.down.contains(1)) {
                after(Duration.ofSeconds(1));
            }
            waits.add(Duration.ofNanos(now - noticed).toSeconds());
        }
        assertThat(waits).containsExactly(5L, 10L, 20L, 40L, 60L, 60L);
        // up for longer than STABLE: the next exit waits the first wait again
        after(NodeSupervisor.STABLE);
        nodes.down.add(1);
        after(Duration.ofSeconds(1));
        assertThat(said).last().asString().contains("in 5 s");
    }

    @Test
    void shouldStartNothingOnceTheClusterIsClosed() {
        nodes.down.add(3);
        after(Duration.ofSeconds(1));
        nodes.closed = true;
        after(NodeSupervisor.FIRST_WAIT);
        assertThat(nodes.relaunched).isEmpty();
        assertThat(said).noneMatch(s -> s.contains("started again"));
    }
}
