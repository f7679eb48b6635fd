package io.roomcast.kafka;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaSettingsTest {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "batch.size | 65536",
            "linger.ms | 5",
            "compression.type | zstd",
            "security.protocol | SASL_SSL",
            "ssl.endpoint.identification.algorithm | ''",
            "retries | 3",
            "default.api.timeout.ms | 60000",
            "a.setting.kafka.does.not.know | anything"})
    void shouldTakeASettingOfTheRightType(String name, String value) {
        assertThatCode(() -> KafkaSettings.check(name, value)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "batch.size | 64k | must be of type int",
            "linger.ms | soon | must be of type long",
            "enable.metrics.push | perhaps | must be of type boolean",
            "max.partition.fetch.bytes | 1e6 | must be of type int",
            "acks | 0 | is set by Roomcast",
            "transactional.id | mine | is set by Roomcast"})
    void shouldRefuseAReservedSettingOrOneOfTheWrongType(String name, String value, String message) {
        assertThatThrownBy(() -> KafkaSettings.check(name, value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + name + "'").hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "max.in.flight.requests.per.connection | 50 | max.in.flight.requests.per.connection",
            "retries | 0 | retries"})
    void shouldRefuseSettingsTheIdempotentProducerRefusesTogether(String name, String value, String message) {
        assertThatCode(() -> KafkaSettings.check(name, value)).as("each alone is of the right type").doesNotThrowAnyException();
        assertThatThrownBy(() -> KafkaSettings.checkTogether(Map.of(name, value, "compression.type", "gzip")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idempotent producer").hasMessageContaining(message);
    }

    @Test
    void shouldTakeSettingsTheProducerTakesTogether() {
        assertThatCode(() -> KafkaSettings.checkTogether(Map.of("max.in.flight.requests.per.connection", "5", "retries", "10",
                "compression.type", "zstd", "fetch.max.wait.ms", "100", "a.setting.kafka.does.not.know", "x")))
                .doesNotThrowAnyException();
    }
}
