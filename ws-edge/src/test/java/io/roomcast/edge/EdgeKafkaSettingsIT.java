package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's Kafka client settings reach the edge's Kafka clients: with the protocol the
 * broker speaks the edge works; with TLS against a plaintext broker it cannot reach Kafka and
 * says so to the client instead of hanging.
 */
class EdgeKafkaSettingsIT {

    private static EdgeServer edge(Map<String, String> settings) {
        return EdgeFixture.start(EdgeFixture.isolatedNamespaces(), b -> b.kafkaProperties(new KafkaClientProperties(settings)));
    }

    @Test
    void shouldUseTheOperatorsKafkaClientSettings() {
        Map<String, String> fast = Map.of("default.api.timeout.ms", "3000", "request.timeout.ms", "2000");
        try (EdgeServer plaintext = edge(new KafkaClientProperties(fast).with(Map.of("security.protocol", "PLAINTEXT")).values());
             WsClient c = WsClient.connect(plaintext.wsUrl())) {
            c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"chat:settings\"}");
            assertThat(c.nextOp("subscribed").path("room").asText()).isEqualTo("chat:settings");
        }
        try (EdgeServer tls = edge(new KafkaClientProperties(fast).with(Map.of("security.protocol", "SSL")).values());
             WsClient c = WsClient.connect(tls.wsUrl())) {
            c.send("{\"op\":\"subscribe\",\"id\":1,\"room\":\"chat:settings\"}");
            JsonNode error = c.nextOp("error");
            assertThat(error.path("id").asInt()).isEqualTo(1);
            assertThat(error.path("code").asText()).isEqualTo("unavailable");
        }
    }
}
