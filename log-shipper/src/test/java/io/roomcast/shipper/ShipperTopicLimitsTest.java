package io.roomcast.shipper;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShipperTopicLimitsTest {
    private static final LogRecordEvent.Source SOURCE = new LogRecordEvent.Source("/var/log/a.log", "h", 0L, 1L);

    @Test
    void shouldCutRecordValuesBelowTheirTopicsLimitAndKeepBatchesBelowTheSmallest() {
        TopicLimits limits = new TopicLimits(Map.of("small", 16_384, "large", 1_048_588), 1_000_000);
        LogRecordEvent event = LogRecordEvent.of("x".repeat(50_000), SOURCE);

        EventEncoder.Encoded small = limits.encoder("small").encode(event);
        assertThat(small.cut()).isTrue();
        assertThat(small.value().length).isLessThanOrEqualTo(16_384 - TopicLimits.OVERHEAD_BYTES);
        assertThat(limits.encoder("large").encode(event).cut()).isFalse();
        assertThat(limits.batchBytes()).isEqualTo(16_384 - TopicLimits.OVERHEAD_BYTES);
    }

    @Test
    void shouldKeepTheShippersOwnLimitWhenTheTopicAcceptsMore() {
        TopicLimits limits = new TopicLimits(Map.of("t", Integer.MAX_VALUE), 4_096);

        EventEncoder.Encoded encoded = limits.encoder("t").encode(LogRecordEvent.of("y".repeat(10_000), SOURCE));

        assertThat(encoded.cut()).isTrue();
        assertThat(encoded.value().length).isLessThanOrEqualTo(4_096);
    }

    @Test
    void shouldKeepAUsableMinimumForATinyTopicLimitAndRefuseAnUnknownTopic() {
        TopicLimits limits = new TopicLimits(Map.of("tiny", 100), 1_000_000);

        assertThat(limits.encoder("tiny").encode(LogRecordEvent.of("z".repeat(5_000), SOURCE)).value().length)
                .isLessThanOrEqualTo(1024);
        assertThatThrownBy(() -> limits.encoder("other")).isInstanceOf(IllegalStateException.class).hasMessageContaining("other");
    }
}
