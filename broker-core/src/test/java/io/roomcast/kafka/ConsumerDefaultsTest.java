package io.roomcast.kafka;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsumerDefaultsTest {
    private final ConsumerDefaults defaults = new ConsumerDefaults("roomcast-test", "earliest", 500, 50);

    @Test
    void shouldStartFromItsDefaults() {
        assertThat(defaults.under("k:9092", Map.of()))
                .containsEntry("bootstrap.servers", "k:9092")
                .containsEntry("enable.auto.commit", false)
                .containsEntry("auto.offset.reset", "earliest")
                .containsEntry("max.poll.records", 500)
                .containsEntry("fetch.max.wait.ms", 50)
                .containsEntry("client.id", "roomcast-test")
                .containsEntry("isolation.level", "read_committed");
    }

    @Test
    void shouldLetTheOperatorsSettingsWinButNotOverTheIsolationLevel() {
        Map<String, Object> operator = Map.of("client.id", "ops", "fetch.max.wait.ms", 5, "security.protocol", "SSL",
                "isolation.level", "read_uncommitted");

        assertThat(defaults.under("k:9092", operator))
                .containsEntry("client.id", "ops")
                .containsEntry("fetch.max.wait.ms", 5)
                .containsEntry("security.protocol", "SSL")
                .containsEntry("isolation.level", "read_committed");
        assertThat(operator).containsEntry("isolation.level", "read_uncommitted");
    }

    @Test
    void shouldRefuseNonsense() {
        assertThatThrownBy(() -> new ConsumerDefaults("c", "earliest", 0, 50)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConsumerDefaults("c", "earliest", 1, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConsumerDefaults(null, "earliest", 1, 1)).isInstanceOf(NullPointerException.class);
    }
}
