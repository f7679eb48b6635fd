package io.roomcast.bench.fuzz;

import io.roomcast.edge.EdgeConfig;
import io.roomcast.edge.EdgeServer;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fuzzer of {@code ./roomcast bench fuzz} at a small count, against a live edge on the test
 * broker: hostile frames and stranger records, while a normal client keeps publishing and receiving.
 */
class FuzzIT {

    @Test
    void shouldKeepServingANormalClientThroughFuzzedFramesAndStrangerRecords() throws Exception {
        Namespaces namespaces = Namespaces.ofDefaults().withTopicPrefix(TestNames.unique("fuzz") + ".");
        String watched = "fuzz-watch";
        try (EdgeServer edge = EdgeServer.start(EdgeConfig.builder(TestKafka.bootstrapServers()).host("127.0.0.1").port(0)
                .namespaces(namespaces).build())) {
            FuzzRun run = new FuzzRun(URI.create(edge.wsUrl()), TestKafka.bootstrapServers(), namespaces.of(RoomName.of(watched)).topic(),
                    watched, edge.config().maxFrameBytes(), 4, 150, 42);
            FuzzRun.Result r = run.run(4_000, 1_000);

            assertThat(r.crashes()).as(r.tally().toString()).isEmpty();
            assertThat(r.tally().sentTotal() - r.tally().sent().getOrDefault("record", 0L)).isGreaterThanOrEqualTo(4_000);
            assertThat(r.tally().sent()).containsKeys("VALID", "MUTATED", "GARBAGE", "BATCH", "DEEP_NESTING", "FRAGMENTED", "CONTROL_FLOOD");
            assertThat(r.tally().errors()).containsKey("bad_request");
            assertThat(r.watcherReceived()).isPositive().isEqualTo(r.watcherAcked());
            assertThat(r.replayedEvents()).isPositive();
            System.out.println("FuzzIT: " + r.tally() + "; watcher " + r.watcherReceived() + "/" + r.watcherAcked()
                    + ", replayed " + r.replayedEvents() + ", unreadable " + r.unreadableFrames());
        }
    }
}
