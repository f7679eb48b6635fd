package io.roomcast.shipper;

import io.roomcast.testkit.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.roomcast.shipper.ShipperFixture.append;
import static io.roomcast.shipper.ShipperFixture.numbered;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A topic whose {@code max.message.bytes} is below a record the shipper reads. Sent as it is, the
 * record would be refused for good while the lines after it fit; Kafka's producer splits a refused
 * batch and resends the parts, and a part after the refused record could land, moving the
 * position stored in Kafka past a line that was never written. The shipper reads each topic's
 * limit and fits records and batches to it: the long line arrives cut with a marker, and every
 * line is in the room exactly once, in order.
 */
class ShipperRefusedRecordIT {
    private static final int TOPIC_LIMIT = 16 * 1024;

    @TempDir
    Path dir;

    private final ShipperFixture fixture = new ShipperFixture(TestKafka.bootstrapServers());
    private final Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap));

    @AfterEach
    void tearDown() {
        fixture.close();
        admin.close();
    }

    @Test
    void shouldFitEveryRecordToTheTopicsLimitSoThatNoLineIsRefusedOrSkipped() throws Exception {
        admin.createTopics(List.of(new NewTopic(fixture.topic, 1, (short) 1)
                .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(TOPIC_LIMIT))))).all().get();
        Path log = dir.resolve("app.log");
        String big = "big-" + "x".repeat(3 * TOPIC_LIMIT);
        List<String> lines = new ArrayList<>(List.of(numbered("before-", 1, 200)));
        lines.add(big);
        lines.addAll(List.of(numbered("after-", 1, 200)));
        append(log, lines.toArray(String[]::new));

        fixture.start(fixture.config(List.of(SourceConfig.file(log.toString(), fixture.room).withMultiline(MultilineRule.none())),
                ShipperFixture.fastSettings().withDeliveryTimeout(Duration.ofSeconds(2))), null);
        ShippedRoom room = fixture.room();
        room.awaitAtLeast(lines.size(), Duration.ofSeconds(30));
        fixture.stopShippers();

        List<ShippedRoom.Shipped> shipped = room.readToEnd();
        assertThat(shipped).hasSize(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = shipped.get(i).line();
            if (lines.get(i).equals(big)) {
                assertThat(line).startsWith("big-xxx").endsWith(EventEncoder.MARKER).hasSizeLessThan(TOPIC_LIMIT);
                assertThat(shipped.get(i).event().truncated()).isTrue();
            } else {
                assertThat(line).isEqualTo(lines.get(i));
            }
        }
        assertThat(fixture.count("roomcast.shipper.send.failures")).as("Kafka refused nothing").isZero();
        assertThat(fixture.count("roomcast.shipper.records.truncated")).isEqualTo(1);
    }
}
