package io.roomcast.kafka;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An operator's extra Kafka client setting, checked where it is read (the edge's, the model producer's and the log
 * shipper's configuration): not one Roomcast sets itself ({@link ReservedSettings}), and of the type Kafka's producer,
 * consumer or admin client expects. A value such as {@code batch.size=64k} is so a configuration error at start-up,
 * not a client that fails to build later, which a component could take for Kafka being away and retry forever.
 */
public final class KafkaSettings {
    private static final List<ConfigDef> DEFINITIONS = List.of(ProducerConfig.configDef(), ConsumerConfig.configDef(),
            AdminClientConfig.configDef());

    private KafkaSettings() {
    }

    /**
     * Throws {@link IllegalArgumentException} when Kafka's producer refuses the settings together with the idempotence
     * every Roomcast producer runs with ({@code max.in.flight.requests.per.connection} above 5, {@code retries} 0):
     * refused at start-up as a configuration error, not when the producer is built, maybe minutes later. Call it with
     * settings that each passed {@link #check}. Any thread.
     */
    public static void checkTogether(Map<String, String> settings) {
        Map<String, Object> producer = new HashMap<>();
        settings.forEach((name, value) -> {
            if (ProducerConfig.configNames().contains(name)) {
                producer.put(name, value);
            }
        });
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092"); // never connected to: only required
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try {
            new ProducerConfig(producer);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("Kafka client settings refused by Kafka's idempotent producer: " + e.getMessage());
        }
    }

    /** Throws {@link IllegalArgumentException} naming the setting when it is reserved or its value is of the wrong type. Any thread. */
    public static void check(String name, String value) {
        ReservedSettings.check(name);
        for (ConfigDef def : DEFINITIONS) {
            ConfigDef.ConfigKey key = def.configKeys().get(name);
            if (key != null) {
                try {
                    ConfigDef.parseType(name, value, key.type);
                } catch (ConfigException e) {
                    throw new IllegalArgumentException("Kafka client setting '" + name + "' must be of type "
                            + key.type.toString().toLowerCase(Locale.ROOT) + ", was '" + value + "'");
                }
            }
        }
    }
}
