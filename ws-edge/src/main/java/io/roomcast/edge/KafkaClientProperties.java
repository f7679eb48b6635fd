package io.roomcast.edge;

import io.roomcast.kafka.KafkaSettings;
import io.roomcast.kafka.ReservedSettings;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Kafka client settings an operator adds to every Kafka client of an edge (admin, live and history
 * consumers, publisher): security protocol, SASL, TLS, timeouts. Settings that Roomcast's
 * guarantees rest on ({@link ReservedSettings}) are refused rather than silently overridden, and a value
 * of the wrong type is refused when read ({@link KafkaSettings}).
 *
 * @param values the settings, as Kafka's client configs take them
 */
public record KafkaClientProperties(Map<String, String> values) {
    public static final KafkaClientProperties NONE = new KafkaClientProperties(Map.of());

    public KafkaClientProperties {
        Map<String, String> checked = new TreeMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            String key = e.getKey() == null ? "" : e.getKey().trim();
            if (key.isEmpty()) {
                throw new IllegalArgumentException("a Kafka client setting needs a name (KEY=VALUE)");
            }
            if (key.equals("bootstrap.servers")) {
                throw new IllegalArgumentException("Kafka client setting 'bootstrap.servers' is set by Roomcast: use --kafka");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("Kafka client setting '" + key + "' has no value");
            }
            KafkaSettings.check(key, e.getValue());
            checked.put(key, e.getValue());
        }
        KafkaSettings.checkTogether(checked);
        values = Map.copyOf(checked);
    }

    /** The settings of a Java properties file (UTF-8), where secrets belong rather than on a command line. */
    public static KafkaClientProperties load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read Kafka client settings from " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
        return new KafkaClientProperties(values);
    }

    /** These settings with {@code more} on top (a setting in both takes {@code more}'s value). */
    public KafkaClientProperties with(Map<String, String> more) {
        Map<String, String> all = new HashMap<>(values);
        all.putAll(more);
        return new KafkaClientProperties(all);
    }

    /** These settings under {@code overrides} (per-client tuning wins), as a client config map. */
    Map<String, Object> under(Map<String, Object> overrides) {
        Map<String, Object> all = new HashMap<>(values);
        all.putAll(overrides);
        return all;
    }
}
