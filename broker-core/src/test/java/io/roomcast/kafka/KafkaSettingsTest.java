package io.roomcast.kafka;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
}
