package io.roomcast.edge;

import io.roomcast.kafka.ReservedSettings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaClientPropertiesTest {

    @Test
    void shouldLoadAPropertiesFileAndLetLaterSettingsWin(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kafka.properties");
        Files.writeString(file, """
                # a secured cluster
                security.protocol=SASL_SSL
                sasl.mechanism=PLAIN
                sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p\\u00e9";
                request.timeout.ms = 7000
                """, StandardCharsets.UTF_8);
        KafkaClientProperties p = KafkaClientProperties.load(file).with(Map.of("request.timeout.ms", "9000"));
        assertThat(p.values()).containsEntry("security.protocol", "SASL_SSL").containsEntry("request.timeout.ms", "9000");
        assertThat(p.values().get("sasl.jaas.config")).endsWith("password=\"p\u00e9\";");
    }

    @Test
    void shouldPutPerClientOverridesOnTopOfTheOperatorsSettings() {
        KafkaClientProperties p = new KafkaClientProperties(Map.of("security.protocol", "SSL", "fetch.max.wait.ms", "500"));
        EdgeConfig config = EdgeConfig.builder("k:9092").kafkaProperties(p).consumerOverrides(Map.of("fetch.max.wait.ms", 5)).build();
        assertThat(config.consumerSettings()).containsEntry("security.protocol", "SSL").containsEntry("fetch.max.wait.ms", 5);
        assertThat(config.producerSettings()).containsEntry("security.protocol", "SSL").containsEntry("fetch.max.wait.ms", "500");
        assertThat(config.adminSettings()).containsOnlyKeys("security.protocol", "fetch.max.wait.ms");
        assertThat(EdgeConfig.builder("k:9092").build().adminSettings()).isEmpty();
    }

    @Test
    void shouldRefuseSettingsRoomcastsGuaranteesRestOn() {
        for (String key : ReservedSettings.NAMES) {
            assertThatThrownBy(() -> new KafkaClientProperties(Map.of(key, "x")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key);
        }
        assertThatThrownBy(() -> new KafkaClientProperties(Map.of(" ", "x"))).hasMessageContaining("needs a name");
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("linger.ms", null);
        assertThatThrownBy(() -> new KafkaClientProperties(nullValue)).hasMessageContaining("no value");
        assertThatThrownBy(() -> new KafkaClientProperties(Map.of("max.in.flight.requests.per.connection", "50")))
                .hasMessageContaining("idempotent producer");
    }

    @Test
    void shouldExplainAFileItCannotRead(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> KafkaClientProperties.load(dir.resolve("missing.properties")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.properties");
        Path garbage = dir.resolve("garbage.properties");
        Files.write(garbage, new byte[]{'a', '=', '\\', 'u', 'z', 'z', 'z', 'z', '\n'});
        assertThatThrownBy(() -> KafkaClientProperties.load(garbage))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("garbage.properties");
        Path binary = dir.resolve("binary.properties");
        Files.write(binary, new byte[]{(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        assertThatThrownBy(() -> KafkaClientProperties.load(binary))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("binary.properties");
        Path reserved = dir.resolve("reserved.properties");
        Files.writeString(reserved, "acks=0\n");
        assertThatThrownBy(() -> KafkaClientProperties.load(reserved)).hasMessageContaining("acks");
    }
}
