package io.roomcast.kafka;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.util.List;
import java.util.Locale;

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
